#include "ui/details_panel.h"

#include <QBrush>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "ui/timeline_model.h"

namespace podscope::ui {

namespace {

constexpr int kRefreshMs = 150;
const QColor kDefaultInk(0x8A, 0x92, 0x9A);

QString qs(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

QString joined(const std::vector<std::string>& words) {
  QStringList out;
  for (const std::string& w : words) out << qs(w);
  return QStringLiteral("[%1]").arg(out.join(QLatin1Char(' ')));
}

QString httpText(const core::HttpGetAction& h) {
  return QStringLiteral("httpGet %1://%2:%3%4")
      .arg(qs(core::toString(h.scheme)).toLower(), h.host.empty() ? QStringLiteral("<pod IP>") : qs(h.host),
           qs(h.port.toString()), qs(h.path));
}

QString probeHandler(const core::Probe& p) {
  if (p.exec) return QStringLiteral("exec ") + joined(p.exec->command);
  if (p.httpGet) return httpText(*p.httpGet);
  if (p.tcpSocket) return QStringLiteral("tcpSocket :%1").arg(qs(p.tcpSocket->port.toString()));
  if (p.grpc) return QStringLiteral("grpc :%1").arg(p.grpc->port);
  return {};
}

QString hookHandler(const core::LifecycleHandler& h) {
  if (h.exec) return QStringLiteral("exec ") + joined(h.exec->command);
  if (h.httpGet) return httpText(*h.httpGet);
  if (h.tcpSocket) return QStringLiteral("tcpSocket :%1").arg(qs(h.tcpSocket->port.toString()));
  if (h.sleep) return QStringLiteral("sleep %1s").arg(h.sleep->seconds);
  return {};
}

QTreeWidget* makeTree(QWidget* parent, const QStringList& headers, const QString& name) {
  auto* tree = new QTreeWidget(parent);
  tree->setObjectName(name);
  tree->setHeaderLabels(headers);
  tree->setRootIsDecorated(false);
  tree->setAlternatingRowColors(true);
  tree->setFrameShape(QFrame::NoFrame);
  tree->setUniformRowHeights(true);
  tree->header()->setStretchLastSection(true);
  return tree;
}

QWidget* titled(const QString& title, QWidget* body, QWidget* parent) {
  auto* box = new QWidget(parent);
  auto* layout = new QVBoxLayout(box);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  auto* label = new QLabel(QStringLiteral("<b>%1</b>").arg(title.toHtmlEscaped()), box);
  label->setContentsMargins(8, 4, 8, 4);
  layout->addWidget(label);
  layout->addWidget(body, 1);
  return box;
}

}  // namespace

DetailsPanel::DetailsPanel(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("detailsPanel"));
  m_conditions = makeTree(this, {tr("Type"), tr("Status"), tr("Reason"), tr("Since"), tr("Message")},
                          QStringLiteral("detailsConditions"));
  m_containers = makeTree(this,
                          {tr("Container"), tr("State"), tr("Last State"), tr("Restarts"), tr("Ready"), tr("Started")},
                          QStringLiteral("detailsContainers"));
  m_spec = makeTree(this, {tr("Field"), tr("Value")}, QStringLiteral("detailsSpec"));
  m_spec->setRootIsDecorated(true);
  m_spec->setToolTip(tr("The spec the pod ran with; grey values are defaults the API server fills in."));

  auto* left = new QSplitter(Qt::Vertical, this);
  left->addWidget(titled(tr("Conditions"), m_conditions, left));
  left->addWidget(titled(tr("Containers"), m_containers, left));
  auto* split = new QSplitter(Qt::Horizontal, this);
  split->addWidget(left);
  split->addWidget(titled(tr("Effective spec (grey: defaults)"), m_spec, split));
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(split);

  m_refresh = new QTimer(this);
  m_refresh->setSingleShot(true);
  m_refresh->setInterval(kRefreshMs);
  connect(m_refresh, &QTimer::timeout, this, &DetailsPanel::refresh);
}

void DetailsPanel::setSpec(const core::Pod& pod, const std::map<std::string, std::string>& defaults) {
  m_pod = pod;
  m_defaults = defaults;
  buildSpec();
  refresh();
}

void DetailsPanel::setRecordSource(TimelineModel* model) {
  if (m_record) disconnect(m_record, nullptr, this, nullptr);
  m_record = model;
  if (!m_record) return;
  connect(m_record, &QAbstractItemModel::rowsInserted, this, &DetailsPanel::scheduleRefresh);
  connect(m_record, &QAbstractItemModel::modelReset, this, &DetailsPanel::refresh);
  connect(m_record, &QAbstractItemModel::dataChanged, this, &DetailsPanel::scheduleRefresh);
}

void DetailsPanel::scheduleRefresh() {
  // A fast run appends thousands of entries a second; one rebuild per
  // interval is plenty for eyes.
  if (!m_refresh->isActive()) m_refresh->start();
}

void DetailsPanel::refresh() {
  m_refresh->stop();
  m_conditions->clear();
  m_containers->clear();
  if (!m_record) return;
  const core::RunRecord& record = m_record->record();

  // Conditions: the latest change of each pod condition, in the order kubectl lists them.
  const QStringList order = {QStringLiteral("PodReadyToStartContainers"), QStringLiteral("Initialized"),
                             QStringLiteral("Ready"), QStringLiteral("ContainersReady"), QStringLiteral("PodScheduled")};
  std::map<QString, const core::ConditionChange*> latest;
  std::map<std::pair<QString, QString>, const core::ConditionChange*> flags;
  for (const core::ConditionChange& c : record.conditions()) {
    if (c.kind == core::SubjectKind::Pod) {
      latest[qs(c.type)] = &c;
    } else {
      flags[{qs(c.subject), qs(c.type)}] = &c;
    }
  }
  QStringList types = order;
  for (const auto& [type, change] : latest) {
    if (!types.contains(type)) types << type;
  }
  for (const QString& type : types) {
    auto it = latest.find(type);
    if (it == latest.end()) continue;
    const core::ConditionChange& c = *it->second;
    auto* item = new QTreeWidgetItem(m_conditions, {type, c.status ? QStringLiteral("True") : QStringLiteral("False"),
                                                    qs(c.reason), qs(core::formatRunTime(c.time)), qs(c.message)});
    item->setForeground(1, c.status ? QBrush(QColor(0x2E, 0x8B, 0x4A)) : QBrush(QColor(0xB3, 0x26, 0x1E)));
    item->setToolTip(4, qs(c.message));
  }

  // Containers: current state, the last termination before it, restarts, flags.
  struct Track {
    const core::Transition* current = nullptr;
    const core::Transition* lastTerminated = nullptr;  ///< of an earlier instance
    const core::Transition* runningSince = nullptr;
    int runs = 0;
  };
  std::map<std::pair<int, QString>, Track> tracks;
  for (const core::Transition& t : record.transitions()) {
    if (t.kind == core::SubjectKind::Pod) continue;
    Track& track = tracks[{static_cast<int>(t.kind), qs(t.subject)}];
    if (track.current && track.current->to == "Terminated") track.lastTerminated = track.current;
    if (t.to == "Running") {
      ++track.runs;
      track.runningSince = &t;
    }
    track.current = &t;
  }
  auto describe = [](const core::Transition* t, const core::Transition* runningSince) -> QString {
    if (!t) return QStringLiteral("-");
    QString text = qs(t->to);
    if (t->to == "Running" && runningSince) return tr("Running since %1").arg(qs(core::formatRunTime(runningSince->time)));
    if (!t->reason.empty()) text += QStringLiteral(" (%1)").arg(qs(t->reason));
    if (t->exitCode) text += tr(", exit code %1").arg(*t->exitCode);
    return text + tr(" at %1").arg(qs(core::formatRunTime(t->time)));
  };
  auto addContainer = [&](const QString& name, core::SubjectKind kind, const QString& tag) {
    const Track track = tracks[{static_cast<int>(kind), name}];
    const auto flag = [&](const char* type) -> QString {
      auto it = flags.find({name, QString::fromLatin1(type)});
      return it == flags.end() ? QStringLiteral("-") : (it->second->status ? QStringLiteral("True") : QStringLiteral("False"));
    };
    const QString restarts = QString::number(std::max(0, track.runs - 1));
    auto* item = new QTreeWidgetItem(m_containers, {tag.isEmpty() ? name : QStringLiteral("%1 (%2)").arg(name, tag),
                                                    describe(track.current, track.runningSince),
                                                    track.lastTerminated ? describe(track.lastTerminated, nullptr)
                                                                         : QStringLiteral("-"),
                                                    restarts, flag("Ready"), flag("Started")});
    if (track.current && track.current->message.size()) item->setToolTip(1, qs(track.current->message));
  };
  if (m_pod) {
    for (const core::Container& c : m_pod->spec.initContainers) {
      addContainer(qs(c.name), core::SubjectKind::InitContainer, c.isSidecar() ? tr("sidecar") : tr("init"));
    }
    for (const core::Container& c : m_pod->spec.containers) addContainer(qs(c.name), core::SubjectKind::Container, {});
  } else {
    for (const auto& [key, track] : tracks) {
      addContainer(key.second, static_cast<core::SubjectKind>(key.first),
                   key.first == static_cast<int>(core::SubjectKind::InitContainer) ? tr("init") : QString());
    }
  }
  for (QTreeWidget* tree : {m_conditions, m_containers}) {
    for (int i = 0; i + 1 < tree->columnCount(); ++i) tree->resizeColumnToContents(i);
  }
}

QTreeWidgetItem* DetailsPanel::addField(QTreeWidgetItem* parent, const QString& name, const QString& value,
                                        const std::string& path) {
  auto* item = parent ? new QTreeWidgetItem(parent, {name, value}) : new QTreeWidgetItem(m_spec, {name, value});
  auto it = m_defaults.find(path);
  if (it != m_defaults.end()) {
    m_shownDefaults[path] = true;
    item->setText(1, qs(it->second) + tr("  (default)"));
    item->setForeground(0, kDefaultInk);
    item->setForeground(1, kDefaultInk);
    item->setToolTip(1, tr("Not in the manifest: the API server sets this default."));
  }
  item->setData(0, Qt::UserRole, QString::fromStdString(path));
  return item;
}

void DetailsPanel::addProbe(QTreeWidgetItem* parent, const char* name, const std::optional<core::Probe>& probe,
                            const std::string& path) {
  if (!probe) return;
  const std::string p = path + "." + name;
  QTreeWidgetItem* item = addField(parent, QString::fromLatin1(name), probeHandler(*probe), p);
  addField(item, QStringLiteral("initialDelaySeconds"), QString::number(probe->initialDelaySeconds), p + ".initialDelaySeconds");
  addField(item, QStringLiteral("timeoutSeconds"), QString::number(probe->timeoutSeconds), p + ".timeoutSeconds");
  addField(item, QStringLiteral("periodSeconds"), QString::number(probe->periodSeconds), p + ".periodSeconds");
  addField(item, QStringLiteral("successThreshold"), QString::number(probe->successThreshold), p + ".successThreshold");
  addField(item, QStringLiteral("failureThreshold"), QString::number(probe->failureThreshold), p + ".failureThreshold");
  if (probe->httpGet) {
    addField(item, QStringLiteral("httpGet.path"), qs(probe->httpGet->path), p + ".httpGet.path");
    addField(item, QStringLiteral("httpGet.scheme"), qs(core::toString(probe->httpGet->scheme)), p + ".httpGet.scheme");
  }
  if (probe->terminationGracePeriodSeconds) {
    addField(item, QStringLiteral("terminationGracePeriodSeconds"), QString::number(*probe->terminationGracePeriodSeconds),
             p + ".terminationGracePeriodSeconds");
  }
}

void DetailsPanel::addContainerSpec(QTreeWidgetItem* parent, const core::Container& c, const std::string& path) {
  addField(parent, QStringLiteral("image"), qs(c.image), path + ".image");
  addField(parent, QStringLiteral("imagePullPolicy"), qs(core::toString(c.imagePullPolicy)), path + ".imagePullPolicy");
  if (!c.command.empty()) addField(parent, QStringLiteral("command"), joined(c.command), path + ".command");
  if (!c.args.empty()) addField(parent, QStringLiteral("args"), joined(c.args), path + ".args");
  if (c.restartPolicy) addField(parent, QStringLiteral("restartPolicy"), qs(core::toString(*c.restartPolicy)), path + ".restartPolicy");
  for (size_t i = 0; i < c.ports.size(); ++i) {
    const auto& port = c.ports[i];
    const std::string pp = path + ".ports[" + std::to_string(i) + "]";
    QTreeWidgetItem* item = addField(parent, QStringLiteral("ports[%1]").arg(i),
                                     port.name.empty() ? QString::number(port.containerPort)
                                                       : QStringLiteral("%1 (%2)").arg(port.containerPort).arg(qs(port.name)),
                                     pp);
    addField(item, QStringLiteral("protocol"), qs(core::toString(port.protocol)), pp + ".protocol");
  }
  addProbe(parent, "startupProbe", c.startupProbe, path);
  addProbe(parent, "livenessProbe", c.livenessProbe, path);
  addProbe(parent, "readinessProbe", c.readinessProbe, path);
  if (c.lifecycle) {
    QTreeWidgetItem* lifecycle = addField(parent, QStringLiteral("lifecycle"), {}, path + ".lifecycle");
    if (c.lifecycle->postStart) addField(lifecycle, QStringLiteral("postStart"), hookHandler(*c.lifecycle->postStart), path + ".lifecycle.postStart");
    if (c.lifecycle->preStop) addField(lifecycle, QStringLiteral("preStop"), hookHandler(*c.lifecycle->preStop), path + ".lifecycle.preStop");
  }
  addField(parent, QStringLiteral("terminationMessagePath"), qs(c.terminationMessagePath), path + ".terminationMessagePath");
  addField(parent, QStringLiteral("terminationMessagePolicy"), qs(core::toString(c.terminationMessagePolicy)),
           path + ".terminationMessagePolicy");
}

void DetailsPanel::buildSpec() {
  m_spec->clear();
  m_shownDefaults.clear();
  if (!m_pod) return;
  const core::Pod& pod = *m_pod;
  QTreeWidgetItem* meta = addField(nullptr, QStringLiteral("metadata"), {}, "metadata");
  addField(meta, QStringLiteral("name"), qs(pod.metadata.name), "metadata.name");
  addField(meta, QStringLiteral("namespace"), qs(pod.metadata.namespaceName), "metadata.namespace");
  QTreeWidgetItem* spec = addField(nullptr, QStringLiteral("spec"), {}, "spec");
  addField(spec, QStringLiteral("restartPolicy"), qs(core::toString(pod.spec.restartPolicy)), "spec.restartPolicy");
  addField(spec, QStringLiteral("terminationGracePeriodSeconds"), QString::number(pod.spec.terminationGracePeriodSeconds),
           "spec.terminationGracePeriodSeconds");
  if (pod.spec.activeDeadlineSeconds) {
    addField(spec, QStringLiteral("activeDeadlineSeconds"), QString::number(*pod.spec.activeDeadlineSeconds),
             "spec.activeDeadlineSeconds");
  }
  auto addList = [&](const char* field, const std::vector<core::Container>& list) {
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string path = std::string("spec.") + field + "[" + std::to_string(i) + "]";
      QTreeWidgetItem* item = addField(spec, QStringLiteral("%1[%2]").arg(QLatin1String(field)).arg(i), qs(list[i].name), path);
      addContainerSpec(item, list[i], path);
    }
  };
  addList("initContainers", pod.spec.initContainers);
  addList("containers", pod.spec.containers);
  // Defaults of fields this tree has no row for (dnsPolicy, schedulerName,
  // resources, volumes, ...) still deserve to be seen: listed at the end.
  QTreeWidgetItem* others = nullptr;
  for (const auto& [path, value] : m_defaults) {
    if (m_shownDefaults.count(path)) continue;
    if (!others) others = new QTreeWidgetItem(m_spec, {tr("other defaults"), {}});
    auto* item = new QTreeWidgetItem(others, {qs(path), qs(value) + tr("  (default)")});
    item->setForeground(0, kDefaultInk);
    item->setForeground(1, kDefaultInk);
  }
  m_spec->expandAll();
  m_spec->resizeColumnToContents(0);
}

}  // namespace podscope::ui
