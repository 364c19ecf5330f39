// The schema of the types Podscope reads, and the name suggestions built on it.

#include "core/schema.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/name_suggestions.h"

namespace podscope::core {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(Schema, EveryTypeIsWellFormed) {
  std::set<std::string_view> names;
  for (const TypeSchema& type : allTypes()) {
    EXPECT_TRUE(names.insert(type.name).second) << "type listed twice: " << type.name;
    EXPECT_FALSE(type.noun.empty()) << type.name;
    EXPECT_FALSE(type.description.empty()) << type.name;
    std::set<std::string_view> fields;
    for (const FieldSchema& f : type.fields) {
      const std::string where = std::string(type.name) + "." + std::string(f.name);
      EXPECT_TRUE(fields.insert(f.name).second) << "field listed twice: " << where;
      EXPECT_FALSE(f.description.empty()) << where;
      EXPECT_EQ(f.description.find('\n'), std::string_view::npos) << where << ": descriptions are one line";
      const bool objectList = f.type == FieldType::List && f.elementType == FieldType::Object;
      if (f.type == FieldType::Object || objectList) {
        EXPECT_FALSE(f.typeName.empty()) << where;
        // A modelled object field must lead to a described type, or the
        // decoder would have nothing to check it against.
        if (f.modelled) {
          EXPECT_NE(findType(f.typeName), nullptr) << where << " -> " << f.typeName;
        }
      }
      if (!f.enumValues.empty() && !f.defaultValue.empty()) {
        EXPECT_NE(std::find(f.enumValues.begin(), f.enumValues.end(), f.defaultValue), f.enumValues.end())
            << where << ": the default must be one of the allowed values";
      }
    }
  }
}

TEST(Schema, FindsTypesAndFields) {
  const TypeSchema* container = findType("Container");
  ASSERT_NE(container, nullptr);
  EXPECT_EQ(container->noun, "a container");
  const FieldSchema* pull = container->field("imagePullPolicy");
  ASSERT_NE(pull, nullptr);
  EXPECT_EQ(pull->type, FieldType::String);
  EXPECT_THAT(pull->enumValues, ElementsAre("Always", "IfNotPresent", "Never"));
  EXPECT_TRUE(pull->defaultValue.empty()) << "depends on the image tag";
  EXPECT_EQ(container->field("ImagePullPolicy"), nullptr) << "field names are case-sensitive";
  EXPECT_EQ(findType("Toleration"), nullptr) << "only named by an unmodelled field";
  EXPECT_EQ(findType("Service"), nullptr);
}

TEST(Schema, DefaultsAndEnumsMatchTheApiServer) {
  struct Expect {
    std::string_view type, field, defaultValue;
    std::vector<std::string_view> values;
  };
  const std::vector<Expect> table = {
      {"PodSpec", "restartPolicy", "Always", {"Always", "OnFailure", "Never"}},
      {"PodSpec", "terminationGracePeriodSeconds", "30", {}},
      {"PodSpec", "dnsPolicy", "ClusterFirst", {"ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"}},
      {"Container", "terminationMessagePath", "/dev/termination-log", {}},
      {"Container", "terminationMessagePolicy", "File", {"File", "FallbackToLogsOnError"}},
      {"Container", "restartPolicy", "", {"Always"}},
      {"ContainerPort", "protocol", "TCP", {"SCTP", "TCP", "UDP"}},
      {"HTTPGetAction", "scheme", "HTTP", {"HTTP", "HTTPS"}},
      {"HTTPGetAction", "path", "/", {}},
      {"Probe", "initialDelaySeconds", "", {}},
      {"Probe", "timeoutSeconds", "1", {}},
      {"Probe", "periodSeconds", "10", {}},
      {"Probe", "successThreshold", "1", {}},
      {"Probe", "failureThreshold", "3", {}},
      {"DeploymentSpec", "replicas", "1", {}},
      {"DeploymentSpec", "revisionHistoryLimit", "10", {}},
      {"DeploymentSpec", "progressDeadlineSeconds", "600", {}},
      {"DeploymentStrategy", "type", "RollingUpdate", {"Recreate", "RollingUpdate"}},
      {"RollingUpdateDeployment", "maxSurge", "25%", {}},
      {"RollingUpdateDeployment", "maxUnavailable", "25%", {}},
      {"LabelSelectorRequirement", "operator", "", {"In", "NotIn", "Exists", "DoesNotExist"}},
  };
  for (const Expect& e : table) {
    const TypeSchema* type = findType(e.type);
    ASSERT_NE(type, nullptr) << e.type;
    const FieldSchema* f = type->field(e.field);
    ASSERT_NE(f, nullptr) << e.type << "." << e.field;
    EXPECT_EQ(f->defaultValue, e.defaultValue) << e.type << "." << e.field;
    EXPECT_EQ(f->enumValues, e.values) << e.type << "." << e.field;
  }
}

TEST(Schema, TypesAsTheApiReferenceWritesThem) {
  struct Expect {
    std::string_view path, label;
    FieldType type;
  };
  for (const Expect& e : std::vector<Expect>{
           {"spec.containers", "[]Container", FieldType::List},
           {"spec.containers[0].command", "[]string", FieldType::List},
           {"spec.containers[0].livenessProbe", "Probe", FieldType::Object},
           {"spec.containers[0].livenessProbe.httpGet.port", "IntOrString", FieldType::IntOrString},
           {"spec.containers[0].ports[0].containerPort", "int32", FieldType::Int32},
           {"spec.terminationGracePeriodSeconds", "int64", FieldType::Int64},
           {"spec.containers[0].resources.limits", "map[string]Quantity", FieldType::QuantityMap},
           {"metadata.labels", "map[string]string", FieldType::StringMap},
           {"spec.volumes[0].emptyDir.sizeLimit", "Quantity", FieldType::Quantity},
           {"spec.containers[0].volumeMounts[0].readOnly", "boolean", FieldType::Bool},
           {"status", "any", FieldType::Opaque},
       }) {
    const FieldSchema* f = fieldForPath("Pod", e.path);
    ASSERT_NE(f, nullptr) << e.path;
    EXPECT_EQ(f->typeLabel(), e.label) << e.path;
    EXPECT_EQ(f->type, e.type) << e.path;
  }
}

TEST(Schema, TypeForPath) {
  struct Case {
    std::string_view kind, path, type;  // empty type: nullptr
  };
  for (const Case& c : std::vector<Case>{
           {"Pod", "", "Pod"},
           {"Deployment", "", "Deployment"},
           {"Pod", "metadata", "ObjectMeta"},
           {"Pod", "spec", "PodSpec"},
           {"Pod", "spec.containers[0]", "Container"},
           {"Pod", "spec.containers[*]", "Container"},
           {"Pod", "spec.containers", "Container"},
           {"Pod", "spec.containers[0].livenessProbe", "Probe"},
           {"Pod", "spec.initContainers[3].lifecycle.preStop.httpGet", "HTTPGetAction"},
           {"Pod", "spec.containers[1].env[0].valueFrom", "EnvVarSource"},
           {"Pod", "spec.volumes[0].hostPath", "HostPathVolumeSource"},
           {"Pod", "spec.securityContext", "PodSecurityContext"},
           {"Deployment", "spec.template.spec.containers[1].readinessProbe.tcpSocket", "TCPSocketAction"},
           {"Deployment", "spec.strategy.rollingUpdate", "RollingUpdateDeployment"},
           {"Deployment", "spec.selector.matchExpressions[0]", "LabelSelectorRequirement"},
           {"Pod", "spec.containers[0].image", ""},
           {"Pod", "spec.affinity", ""},
           {"Pod", "spec.containers[0].nope", ""},
           {"Pod", "metadata.labels[app.kubernetes.io/name]", ""},
           {"Pod", "spec..containers", ""},
           {"Pod", "spec.containers[0", ""},
           {"Pod", "spec.", ""},
           {"Pod", "spec[0]", ""},
           {"Service", "", ""},
           {"Deployment", "spec.containers", ""},
       }) {
    const TypeSchema* t = typeForPath(c.kind, c.path);
    if (c.type.empty()) {
      EXPECT_EQ(t, nullptr) << c.kind << " " << c.path << " -> " << (t ? t->name : "");
    } else {
      ASSERT_NE(t, nullptr) << c.kind << " " << c.path;
      EXPECT_EQ(t->name, c.type) << c.kind << " " << c.path;
    }
  }
}

TEST(Schema, PathsDefiningAField) {
  EXPECT_THAT(pathsDefiningField("Pod", "imagePullPolicy"),
              ElementsAre("spec.containers[*].imagePullPolicy", "spec.initContainers[*].imagePullPolicy"));
  EXPECT_THAT(pathsDefiningField("Deployment", "imagePullPolicy"),
              ElementsAre("spec.template.spec.containers[*].imagePullPolicy",
                          "spec.template.spec.initContainers[*].imagePullPolicy"));
  EXPECT_THAT(pathsDefiningField("Pod", "containers"), ElementsAre("spec.containers"));
  EXPECT_THAT(pathsDefiningField("Deployment", "replicas"), ElementsAre("spec.replicas"));
  EXPECT_THAT(pathsDefiningField("Pod", "replicas"), IsEmpty());
  EXPECT_THAT(
      pathsDefiningField("Pod", "periodSeconds"),
      ElementsAre("spec.containers[*].livenessProbe.periodSeconds", "spec.containers[*].readinessProbe.periodSeconds",
                  "spec.containers[*].startupProbe.periodSeconds", "spec.initContainers[*].livenessProbe.periodSeconds",
                  "spec.initContainers[*].readinessProbe.periodSeconds",
                  "spec.initContainers[*].startupProbe.periodSeconds"));
  std::vector<std::string> names = pathsDefiningField("Pod", "name");
  ASSERT_FALSE(names.empty());
  EXPECT_EQ(names.front(), "metadata.name") << "shallowest first";
  EXPECT_THAT(pathsDefiningField("ConfigMap", "data"), IsEmpty());
  // Every pattern leads back to the field through typeForPath.
  for (const std::string& p : names) {
    const FieldSchema* f = fieldForPath("Pod", p);
    ASSERT_NE(f, nullptr) << p;
    EXPECT_EQ(f->name, "name") << p;
  }
}

TEST(Schema, KnownButUnmodelledFieldsAreListed) {
  const TypeSchema* podSpec = findType("PodSpec");
  ASSERT_NE(podSpec, nullptr);
  for (std::string_view name :
       {"nodeSelector", "affinity", "tolerations", "serviceAccountName", "imagePullSecrets", "dnsPolicy", "hostNetwork",
        "priorityClassName", "schedulerName", "topologySpreadConstraints", "readinessGates", "enableServiceLinks",
        "shareProcessNamespace"}) {
    const FieldSchema* f = podSpec->field(name);
    ASSERT_NE(f, nullptr) << name;
    EXPECT_FALSE(f->modelled) << name;
  }
  for (std::string_view name : {"envFrom", "stdin", "tty", "resizePolicy", "volumeDevices"}) {
    EXPECT_NE(findType("Container")->field(name), nullptr) << name;
  }
  for (std::string_view name : {"uid", "resourceVersion", "creationTimestamp", "ownerReferences", "finalizers",
                                "generation", "managedFields"}) {
    EXPECT_NE(findType("ObjectMeta")->field(name), nullptr) << name;
  }
  for (std::string_view name :
       {"configMap", "secret", "persistentVolumeClaim", "projected", "downwardAPI", "nfs", "csi", "ephemeral"}) {
    EXPECT_NE(findType("Volume")->field(name), nullptr) << name;
  }
  EXPECT_NE(findType("Pod")->field("status"), nullptr);
  EXPECT_NE(findType("Deployment")->field("status"), nullptr);
}

TEST(Schema, FieldNamesOfAKindAreDistinct) {
  std::vector<std::string_view> names = fieldNamesOf("Pod");
  std::set<std::string_view> unique(names.begin(), names.end());
  EXPECT_EQ(unique.size(), names.size());
  EXPECT_TRUE(unique.count("livenessProbe"));
  EXPECT_FALSE(unique.count("replicas"));
  EXPECT_TRUE(fieldNamesOf("Deployment").size() > names.size());
  EXPECT_THAT(fieldNamesOf("Service"), IsEmpty());
}

TEST(NameSuggestions, EditDistance) {
  EXPECT_EQ(editDistance("", ""), 0u);
  EXPECT_EQ(editDistance("abc", ""), 3u);
  EXPECT_EQ(editDistance("", "abc"), 3u);
  EXPECT_EQ(editDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(editDistance("imagePullPolicy", "imagePullPolicy"), 0u);
  EXPECT_EQ(editDistance("imagePulPolicy", "imagePullPolicy"), 1u);
  EXPECT_EQ(editDistance("comand", "command"), 1u);
  EXPECT_EQ(editDistance("porst", "ports"), 1u) << "a swap of neighbours costs one";
  EXPECT_EQ(editDistance("Name", "name"), 1u) << "case-sensitive";
}

TEST(NameSuggestions, ClosestName) {
  const std::vector<std::string_view> container = {"name",    "image", "imagePullPolicy", "command",   "args",
                                                   "ports",   "env",   "livenessProbe",   "mountPath", "containerPort",
                                                   "hostPort"};
  struct Case {
    std::string_view typed;
    std::optional<std::string_view> meant;
  };
  for (const Case& c : std::vector<Case>{
           {"ImagePullPolicy", "imagePullPolicy"},
           {"imagePullPolicyy", "imagePullPolicy"},
           {"imagepullpolicy", "imagePullPolicy"},
           {"comand", "command"},
           {"commands", "command"},
           {"arg", "args"},
           {"livenesProbe", "livenessProbe"},
           {"port", "ports"},
           {"path", "mountPath"},
           {"kind", std::nullopt},
           {"xyz", std::nullopt},
           {"", std::nullopt},
           {"name", std::nullopt},
       }) {
    EXPECT_EQ(closestName(c.typed, container), c.meant) << c.typed;
  }
  EXPECT_EQ(closestName("port", {"containerPort", "hostPort"}), "containerPort") << "camelCase tail, first wins";
  EXPECT_EQ(closestName(std::string(1'000'000, 'x'), container), std::nullopt);
}

}  // namespace
}  // namespace podscope::core
