#pragma once
// `podscope-cli report`: a run written up as HTML, a PDF for print, the
// timeline as SVG or PNG, Markdown or the JSON record, from a saved record or
// from a run it makes itself:
//   podscope-cli report RECORD.json -o OUT [--manifest FILE]
//   podscope-cli report --run MANIFEST [--runtime sim|containerd ...] -o OUT
// The format comes from OUT's extension (.html, .pdf, .svg, .png, .md,
// .json) unless --format says. PNG and PDF are drawn by Qt (render/) on its
// offscreen platform, so they need no display. Exit codes: 0 written, 1
// written from a --run whose pod failed (as `run` exits), 2 bad input or the
// report could not be written.
// Thread contract: runs on the main thread.

#include <string>

namespace CLI {
class App;
}

namespace podscope::cli {

struct ReportArgs {
  std::string record;    ///< RECORD.json
  std::string run;       ///< --run MANIFEST
  std::string output;    ///< -o OUT
  std::string format;    ///< --format; empty: from OUT's extension
  std::string manifest;  ///< --manifest FILE, with a record
  std::string runtime = "sim";
  std::string address = "/run/containerd/containerd.sock";
  std::string containerdNamespace = "podscope";
  std::string stateDir;
  std::string watchFor;
  std::string deleteAfter;
  std::string gracePeriod;
  std::string scenario;
  std::string history;  ///< --history, for a Deployment's run
  int width = 0;        ///< --width; 0: kTimelineWidth, or narrower in a PDF
  double scale = 0;     ///< --scale, for PNG; 0: kDefaultPngScale
};

/// The timeline's width in pixels unless --width says.
inline constexpr int kTimelineWidth = 1100;

/// Adds the `report` subcommand, filling `args` when parsed.
CLI::App* addReportCommand(CLI::App& app, ReportArgs& args);

int report(const ReportArgs& args);

}  // namespace podscope::cli
