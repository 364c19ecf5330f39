#include "core/report_formats.h"

#include <array>
#include <cctype>
#include <utility>

#include "core/report_html.h"
#include "core/report_markdown.h"
#include "core/report_svg.h"
#include "core/rollout_record_json.h"
#include "core/rollout_report.h"
#include "core/run_record_json.h"

namespace podscope::core {

namespace {

constexpr std::array<std::pair<std::string_view, ReportFormat>, 8> kNames = {{
    {"html", ReportFormat::Html},
    {"htm", ReportFormat::Html},
    {"pdf", ReportFormat::Pdf},
    {"svg", ReportFormat::Svg},
    {"png", ReportFormat::Png},
    {"md", ReportFormat::Markdown},
    {"markdown", ReportFormat::Markdown},
    {"json", ReportFormat::Json},
}};

bool equalIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

}  // namespace

std::string_view toString(ReportFormat format) {
  switch (format) {
    case ReportFormat::Html: return "html";
    case ReportFormat::Pdf: return "pdf";
    case ReportFormat::Svg: return "svg";
    case ReportFormat::Png: return "png";
    case ReportFormat::Markdown: return "md";
    case ReportFormat::Json: return "json";
  }
  return "html";
}

std::optional<ReportFormat> reportFormatNamed(std::string_view name) {
  for (const auto& [known, format] : kNames) {
    if (equalIgnoringCase(name, known)) return format;
  }
  return std::nullopt;
}

std::optional<ReportFormat> reportFormatOfFile(std::string_view path) {
  const std::size_t slash = path.find_last_of('/');
  const std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const std::size_t dot = base.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return std::nullopt;
  return reportFormatNamed(base.substr(dot + 1));
}

std::string_view reportFormatHint() { return "use .html, .pdf, .svg, .png, .md or .json"; }

bool isDrawn(ReportFormat format) { return format == ReportFormat::Png || format == ReportFormat::Pdf; }

std::string reportSubject(ReportRecord record) {
  if (const RolloutRecord* const* rollout = std::get_if<const RolloutRecord*>(&record)) {
    return "deployment/" + (*rollout)->deploymentName;
  }
  return "pod/" + std::get<const RunRecord*>(record)->podName;
}

RunOutcome reportOutcome(ReportRecord record) {
  return std::visit([](const auto* r) { return r->outcome; }, record);
}

std::string reportText(ReportRecord record, ReportFormat format, const ReportInputs& inputs) {
  return std::visit(
      [format, &inputs](const auto* r) -> std::string {
        switch (format) {
          case ReportFormat::Html:
          case ReportFormat::Pdf: return htmlReport(*r, inputs);
          case ReportFormat::Svg:
          case ReportFormat::Png: {
            SvgOptions svg;
            svg.width = inputs.timelineWidth;
            return timelineSvg(*r, svg);
          }
          case ReportFormat::Markdown: return markdownReport(*r, inputs);
          case ReportFormat::Json: return toJson(*r);
        }
        return htmlReport(*r, inputs);
      },
      record);
}

}  // namespace podscope::core
