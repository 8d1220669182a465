// cam2mqtt: IP-camera events to MQTT. main() only hands argv to app::run().
#include <libxml/parser.h>
#include <string>
#include <vector>

#include "app/run.h"

int main(int argc, char** argv) {
  xmlInitParser(); // once, before any thread starts
  std::vector<std::string> args(argv + 1, argv + argc);
  const int rc = cam2mqtt::app::run(args);
  xmlCleanupParser();
  return rc;
}
