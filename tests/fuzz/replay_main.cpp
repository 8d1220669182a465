// Replays files through LLVMFuzzerTestOneInput without libFuzzer (fmt's LINKMAIN idea), so
// the fuzz target builds with gcc and its corpus runs as an ordinary CTest. Arguments are
// files or directories (walked recursively); exits 0 when every input passed (the target
// aborts on a broken invariant), 1 when no input was found.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv);
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {
void run_file(const std::filesystem::path& p, std::size_t& count) {
  // A buffer of exactly the file's size, so ASan catches reads past the end.
  std::vector<std::uint8_t> copy(static_cast<std::size_t>(std::filesystem::file_size(p)));
  std::ifstream in(p, std::ios::binary);
  in.read(reinterpret_cast<char*>(copy.data()), static_cast<std::streamsize>(copy.size()));
  copy.resize(static_cast<std::size_t>(in.gcount()));
  LLVMFuzzerTestOneInput(copy.data(), copy.size());
  ++count;
}
} // namespace

int main(int argc, char** argv) {
  LLVMFuzzerInitialize(&argc, &argv);
  std::size_t count = 0;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path arg(argv[i]);
    if (std::filesystem::is_directory(arg)) {
      for (const auto& entry : std::filesystem::recursive_directory_iterator(arg)) {
        if (entry.is_regular_file()) {
          run_file(entry.path(), count);
        }
      }
    } else if (std::filesystem::is_regular_file(arg)) {
      run_file(arg, count);
    }
  }
  std::printf("replayed %zu inputs\n", count);
  return count > 0 ? 0 : 1;
}
