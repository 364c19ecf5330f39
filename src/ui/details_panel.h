#pragma once
// DetailsPanel: what `kubectl describe pod` shows about the pod's state, at
// the end of the record so far: its conditions (type, status, reason,
// message), each container's state, last state, restart count, Ready and
// Started; and the effective spec, with every default the API server would
// apply shown in grey and marked "(default)".

#include <QPointer>
#include <QWidget>

#include <map>
#include <optional>
#include <string>

#include "core/manifest.h"

class QTimer;
class QTreeWidget;
class QTreeWidgetItem;

namespace podscope::ui {

class TimelineModel;

/// Thread contract: GUI thread only.
class DetailsPanel final : public QWidget {
  Q_OBJECT

 public:
  explicit DetailsPanel(QWidget* parent = nullptr);

  /// The pod that runs, and the defaults its manifest left to the API
  /// server (core::Document::defaults: field path to value).
  void setSpec(const core::Pod& pod, const std::map<std::string, std::string>& defaults);
  /// Where the state comes from; the panel refreshes as it grows.
  void setRecordSource(TimelineModel* model);
  /// Rebuilds the state from the record now.
  void refresh();

  QTreeWidget* conditionsTree() const { return m_conditions; }
  QTreeWidget* containersTree() const { return m_containers; }
  QTreeWidget* specTree() const { return m_spec; }

 private:
  void scheduleRefresh();
  void buildSpec();
  QTreeWidgetItem* addField(QTreeWidgetItem* parent, const QString& name, const QString& value,
                            const std::string& path);
  void addContainerSpec(QTreeWidgetItem* parent, const core::Container& c, const std::string& path);
  void addProbe(QTreeWidgetItem* parent, const char* name, const std::optional<core::Probe>& probe,
                const std::string& path);

  QPointer<TimelineModel> m_record;
  std::optional<core::Pod> m_pod;
  std::map<std::string, std::string> m_defaults;
  std::map<std::string, bool> m_shownDefaults;
  QTreeWidget* m_conditions = nullptr;
  QTreeWidget* m_containers = nullptr;
  QTreeWidget* m_spec = nullptr;
  QTimer* m_refresh = nullptr;
};

}  // namespace podscope::ui
