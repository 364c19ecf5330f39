#pragma once
// A run summed up in Markdown for pasting into a bug report or chat: the
// outcome, the `kubectl get pod` line, the key durations, restarts, the Why
// facts and the events as kubectl describe shows them (in a fenced block).
// Text from the record is kept from being read as Markdown or HTML.
// Thread contract: free functions without shared state; safe from any thread.

#include <string>

#include "core/report_text.h"
#include "core/run_record.h"

namespace podscope::core {

std::string markdownReport(const RunRecord& record, const ReportInputs& inputs = {});

}  // namespace podscope::core
