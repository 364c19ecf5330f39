#pragma once
// The colours of the timeline, as CSS hex strings: the desktop draws with
// them (ui::paletteColor) and the reports, written without Qt, use them as
// they are, so a report looks like the app.

#include <string_view>

namespace podscope::core::palette {

// States (ui::stateColor).
inline constexpr std::string_view kPending = "#E8B03C";
inline constexpr std::string_view kWaiting = "#C4C9D0";
inline constexpr std::string_view kWaitingHatch = "#A0A5AB";  // Waiting darker(122): the hatching
inline constexpr std::string_view kRunning = "#3CA55C";
/// Running before the container is started (postStart or the startup probe
/// not done yet): two parts white to one part kRunning.
inline constexpr std::string_view kRunningNotStarted = "#BEE1C8";
inline constexpr std::string_view kSucceeded = "#3B7DD8";
inline constexpr std::string_view kFailed = "#D9453B";
inline constexpr std::string_view kUnknown = "#9AA0A6";

// Probe attempts, events, signals and conditions.
inline constexpr std::string_view kProbePass = "#2E8B4A";
inline constexpr std::string_view kProbeWarn = "#D98E04";
inline constexpr std::string_view kProbeFail = "#D9453B";
inline constexpr std::string_view kProbeError = "#8A929A";
inline constexpr std::string_view kEventNormal = "#6A8096";
inline constexpr std::string_view kEventWarning = "#E36C09";
inline constexpr std::string_view kSigterm = "#D98E04";
inline constexpr std::string_view kSigkill = "#A40E26";
inline constexpr std::string_view kConditionTrue = "#3CA55C";
inline constexpr std::string_view kConditionFalse = "#E1E4E8";
/// A Deployment's Progressing while it is paused (status Unknown).
inline constexpr std::string_view kConditionUnknown = "#F2D48A";

// A ReplicaSet's counts: READY and CURRENT are kRunning, filled at these
// opacities; DESIRED is a line.
inline constexpr std::string_view kReadyReplicasOpacity = "0.75";
inline constexpr std::string_view kCurrentReplicasOpacity = "0.25";
inline constexpr std::string_view kDesiredReplicas = "#1F6FEB";

// Paper and ink.
inline constexpr std::string_view kInk = "#24292E";
inline constexpr std::string_view kMuted = "#6A737D";
inline constexpr std::string_view kRule = "#D8DEE4";
inline constexpr std::string_view kGrid = "#ECEFF2";
inline constexpr std::string_view kStripe = "#FAFBFC";
inline constexpr std::string_view kGutterPaper = "#F6F8FA";
inline constexpr std::string_view kRestartRule = "#444D56";

}  // namespace podscope::core::palette
