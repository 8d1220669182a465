#include <catch2/catch.hpp>

#include "template_eval.h"

using cam2mqtt::testing::TemplateError;
using cam2mqtt::testing::TemplateEval;
using nlohmann::json;

TEST_CASE("the template evaluator covers the subset the discovery payloads use") {
  const auto j = json::parse(R"({"a": {"b": "x"}, "n": 3, "t": true, "f": false, "e": "", "nul": null,
                                 "s": "lineCrossing"})");
  CHECK(TemplateEval::render("{{ value_json.a.b }}", j) == "x");
  CHECK(TemplateEval::render("v={{ value_json.n }}!", j) == "v=3!");
  CHECK(TemplateEval::render("{{ value_json.missing | default('d') }}", j) == "d");
  CHECK(TemplateEval::render("{{ value_json.e | default('d') }}", j) == "");
  CHECK(TemplateEval::render("{{ value_json.e | default('d', true) }}", j) == "d");
  CHECK(TemplateEval::render("{{ value_json.nul.x | default(0) }}", j) == "0");
  CHECK(TemplateEval::render("{{ value_json.a.b | tojson }}", j) == "\"x\"");
  CHECK(TemplateEval::render("{{ value_json.missing | default(none) | tojson }}", j) == "null");
  CHECK(TemplateEval::render("{{ 'ON' if value_json.t else 'OFF' }}", j) == "ON");
  CHECK(TemplateEval::render("{{ 'ON' if value_json.f else 'OFF' }}", j) == "OFF");
  CHECK(TemplateEval::render("{{ 'ON' if value_json.s == 'lineCrossing' else '' }}", j) == "ON");
  CHECK(TemplateEval::render("{{ 'ON' if value_json.s == 'loitering' else '' }}", j) == "");
  CHECK(TemplateEval::render("plain", j) == "plain");
}

TEST_CASE("the template evaluator refuses undefined values and anything outside the subset") {
  const auto j = json::parse(R"({"a": {"b": "x"}})");
  CHECK_THROWS_AS(TemplateEval::render("{{ value_json.missing }}", j), TemplateError);
  CHECK_THROWS_AS(TemplateEval::render("{{ value_json.a }}", j), TemplateError);
  CHECK_THROWS_AS(TemplateEval::render("{{ value_json.a.b | upper }}", j), TemplateError);
  CHECK_THROWS_AS(TemplateEval::render("{{ states('x') }}", j), TemplateError);
  CHECK_THROWS_AS(TemplateEval::render("{{ value_json.a.b ", j), TemplateError);
}
