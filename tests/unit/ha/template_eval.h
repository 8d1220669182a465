#pragma once
// A tiny evaluator for the subset of Jinja that cam2mqtt's discovery templates use, so tests can
// render a value_template against the payload actually published (HA itself is not available):
//   text {{ EXPR }} text ...
//   EXPR  := VALUE [ 'if' COND 'else' VALUE ]
//   COND  := VALUE [ '==' VALUE ]
//   VALUE := PRIMARY { '|' FILTER }
//   PRIMARY := 'string' | number | none | true | false | value_json{.ident}
//   FILTER  := default(PRIMARY [, true|false]) | tojson
// Stricter than Jinja on purpose: rendering an undefined value (a missing field not guarded by
// default) throws, and so does anything outside the subset.
#include <cctype>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace cam2mqtt::testing {

struct TemplateError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class TemplateEval {
public:
  static std::string render(const std::string& tmpl, const nlohmann::json& value_json) {
    std::string out;
    std::size_t pos = 0;
    while (true) {
      const auto open = tmpl.find("{{", pos);
      if (open == std::string::npos) {
        out += tmpl.substr(pos);
        return out;
      }
      out += tmpl.substr(pos, open - pos);
      const auto close = tmpl.find("}}", open);
      if (close == std::string::npos) {
        throw TemplateError("unclosed {{ in " + tmpl);
      }
      TemplateEval ev(tmpl.substr(open + 2, close - open - 2), value_json);
      out += ev.expression_text();
      pos = close + 2;
    }
  }

private:
  struct Val {
    bool undefined = false;
    nlohmann::json j;
  };

  TemplateEval(std::string expr, const nlohmann::json& root) : m_root(root) { tokenize(expr); }

  void tokenize(const std::string& s) {
    std::size_t i = 0;
    while (i < s.size()) {
      const char c = s[i];
      if (std::isspace(static_cast<unsigned char>(c)) != 0) {
        ++i;
      } else if (c == '\'') {
        const auto end = s.find('\'', i + 1);
        if (end == std::string::npos) {
          throw TemplateError("unclosed string in " + s);
        }
        m_tokens.push_back(s.substr(i, end - i + 1));
        i = end + 1;
      } else if (c == '=' && i + 1 < s.size() && s[i + 1] == '=') {
        m_tokens.push_back("==");
        i += 2;
      } else if (c == '|' || c == '(' || c == ')' || c == ',' || c == '.') {
        m_tokens.push_back(std::string(1, c));
        ++i;
      } else if (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_') {
        std::size_t j = i;
        while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) != 0 || s[j] == '_')) {
          ++j;
        }
        m_tokens.push_back(s.substr(i, j - i));
        i = j;
      } else {
        throw TemplateError(std::string("unsupported character '") + c + "' in " + s);
      }
    }
  }

  const std::string& peek() const {
    static const std::string end;
    return m_pos < m_tokens.size() ? m_tokens[m_pos] : end;
  }
  std::string next() {
    if (m_pos >= m_tokens.size()) {
      throw TemplateError("unexpected end of expression");
    }
    return m_tokens[m_pos++];
  }
  void expect(const std::string& t) {
    if (next() != t) {
      throw TemplateError("expected " + t);
    }
  }

  static bool truthy(const Val& v) {
    if (v.undefined || v.j.is_null()) {
      return false;
    }
    if (v.j.is_boolean()) {
      return v.j.get<bool>();
    }
    if (v.j.is_number()) {
      return v.j.get<double>() != 0;
    }
    if (v.j.is_string()) {
      return !v.j.get_ref<const std::string&>().empty(); // json::empty() is false for any string
    }
    if (v.j.is_array() || v.j.is_object()) {
      return !v.j.empty();
    }
    return false;
  }

  Val primary() {
    const auto t = next();
    if (t.size() >= 2 && t.front() == '\'') {
      return Val{false, t.substr(1, t.size() - 2)};
    }
    if (t == "none") {
      return Val{false, nullptr};
    }
    if (t == "true" || t == "false") {
      return Val{false, t == "true"};
    }
    if (std::isdigit(static_cast<unsigned char>(t[0])) != 0) {
      return Val{false, std::stoll(t)};
    }
    if (t != "value_json") {
      throw TemplateError("unsupported name " + t);
    }
    Val v{false, m_root};
    while (peek() == ".") {
      next();
      const auto field = next();
      if (!v.undefined && v.j.is_object() && v.j.contains(field)) {
        v.j = nlohmann::json(v.j[field]);
      } else {
        v = Val{true, nullptr};
      }
    }
    return v;
  }

  Val value() {
    Val v = primary();
    while (peek() == "|") {
      next();
      const auto f = next();
      if (f == "tojson") {
        if (v.undefined) {
          throw TemplateError("tojson of an undefined value");
        }
        v = Val{false, v.j.dump()};
      } else if (f == "default") {
        expect("(");
        const Val fallback = primary();
        bool boolean = false;
        if (peek() == ",") {
          next();
          boolean = truthy(primary());
        }
        expect(")");
        if (v.undefined || (boolean && !truthy(v))) {
          v = fallback;
        }
      } else {
        throw TemplateError("unsupported filter " + f);
      }
    }
    return v;
  }

  std::string text_of(const Val& v) {
    if (v.undefined) {
      throw TemplateError("renders an undefined value");
    }
    if (v.j.is_string()) {
      return v.j.get<std::string>();
    }
    if (v.j.is_null()) {
      return "None";
    }
    if (v.j.is_boolean()) {
      return v.j.get<bool>() ? "True" : "False";
    }
    if (v.j.is_number()) {
      return v.j.dump();
    }
    throw TemplateError("renders an object or array");
  }

  std::string expression_text() {
    Val a = value();
    if (peek() == "if") {
      next();
      Val lhs = value();
      bool cond = false;
      if (peek() == "==") {
        next();
        const Val rhs = value();
        cond = !lhs.undefined && !rhs.undefined && lhs.j == rhs.j;
      } else {
        cond = truthy(lhs);
      }
      expect("else");
      Val b = value();
      a = cond ? a : b;
    }
    if (m_pos != m_tokens.size()) {
      throw TemplateError("trailing tokens after " + peek());
    }
    return text_of(a);
  }

  const nlohmann::json& m_root;
  std::vector<std::string> m_tokens;
  std::size_t m_pos = 0;
};

} // namespace cam2mqtt::testing
