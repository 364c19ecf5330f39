#pragma once
// Why a run went the way it did, in plain sentences built only from what the
// record holds: why the pod was not Ready at the end, why each container
// restarted, how long each back-off waited, how each container was stopped
// (preStop inside the grace period, or SIGKILL when it ran out) and how the
// run ended. Every sentence carries the time of the fact it rests on.
// Thread contract: free functions without shared state; safe from any thread.

#include <string>
#include <string_view>
#include <vector>

#include "core/run_record.h"

namespace podscope::core {

/// What a fact explains; reports group facts under these headings, a pod's
/// in this order. Rollout is a Deployment's (explainRollout, first there).
enum class WhyTopic { NotReady, Restart, BackOff, Stopping, Outcome, Rollout };
/// "Not ready", "Restarts", "Back-off", "Stopping", "Outcome", "Rollout"
std::string_view toString(WhyTopic topic);

struct WhyFact {
  RunTime time{0};     ///< when the fact happened (for a state at the end: when it began)
  WhyTopic topic = WhyTopic::Outcome;
  std::string subject; ///< the container, or the pod's name
  std::string text;    ///< one or more sentences, kubectl's and the kubelet's words quoted exactly
  friend bool operator==(const WhyFact&, const WhyFact&) = default;
};

/// The facts, grouped by topic in WhyTopic order, each group in time order.
std::vector<WhyFact> explainRun(const RunRecord& record);

}  // namespace podscope::core
