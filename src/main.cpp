// cam2mqtt: IP-camera events to MQTT. main() only hands argv to app::run().
#include <libxml/parser.h>
#include <malloc.h>
#include <string>
#include <vector>

#include "app/run.h"

int main(int argc, char** argv) {
  // Camera posts carry images of 50-600 KB. With glibc's default (dynamic, from 128 KiB)
  // mmap threshold every such buffer is a fresh mmap + page faults + munmap; keeping them in
  // the heap lets the allocator reuse the pages post after post. The trim threshold bounds
  // what an idle daemon keeps (measured in bench/).
  mallopt(M_MMAP_THRESHOLD, 8 * 1024 * 1024);
  mallopt(M_TRIM_THRESHOLD, 16 * 1024 * 1024);
  xmlInitParser(); // once, before any thread starts
  std::vector<std::string> args(argv + 1, argv + argc);
  const int rc = cam2mqtt::app::run(args);
  xmlCleanupParser();
  return rc;
}
