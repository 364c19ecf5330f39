#pragma once
// The day-long pod the report tests and the report benchmark both run: a
// readiness probe every second (not ready from 30 to 35 min), a liveness
// probe every 10 s, and three crashes 6 h apart, which on the simulated
// runtime makes about 95,000 probe attempts and 1,200 events.

namespace podscope::testing {

inline constexpr const char* kDayLongPod = R"(apiVersion: v1
kind: Pod
metadata:
  name: day-long
  annotations:
    podscope.dev/simulate: |
      container web:
        readiness fails from 30m until 35m with status 503 and "warming up"
        attempts 1-3: exits 1 after 6h
spec:
  containers:
  - name: web
    image: nginx:1.25
    readinessProbe:
      httpGet: {path: /ready, port: 80}
      periodSeconds: 1
    livenessProbe:
      httpGet: {path: /healthz, port: 80}
      periodSeconds: 10
)";

}  // namespace podscope::testing
