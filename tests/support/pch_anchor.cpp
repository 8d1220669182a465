// The one source of cam2mqtt_test_pch (tests/CMakeLists.txt), the target that builds the
// precompiled header the test executables share; an object library needs a source file.
