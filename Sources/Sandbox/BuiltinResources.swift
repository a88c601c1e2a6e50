/// The built-in resources the Sandbox serves: every kind the project's charts and the corpus charts render.
/// Order follows kube-apiserver's discovery order, which kubectl uses to break ties between short names.
enum BuiltinResources {
    static let all: [ResourceType] = {
        var types: [ResourceType] = []
        func add(_ group: String, _ version: String, _ resource: String, _ kind: String, namespaced: Bool = true,
                 short: [String] = [], categories: [String] = [], status: Bool = false, scale: Bool = false,
                 generation: Bool = false, verbs: [String] = ResourceType.allVerbs) {
            let singular = kind.lowercased()
            types.append(ResourceType(
                group: group, version: version, resource: resource, singular: singular, kind: kind,
                namespaced: namespaced, shortNames: short, categories: categories, hasStatus: status,
                hasScale: scale, verbs: verbs, tracksGeneration: generation, custom: nil))
        }
        // core/v1
        add("", "v1", "configmaps", "ConfigMap", short: ["cm"])
        add("", "v1", "endpoints", "Endpoints", short: ["ep"])
        add("", "v1", "events", "Event", short: ["ev"])
        add("", "v1", "limitranges", "LimitRange", short: ["limits"])
        add("", "v1", "namespaces", "Namespace", namespaced: false, short: ["ns"], status: true)
        add("", "v1", "nodes", "Node", namespaced: false, short: ["no"], status: true)
        add("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", short: ["pvc"], status: true)
        add("", "v1", "persistentvolumes", "PersistentVolume", namespaced: false, short: ["pv"], status: true)
        add("", "v1", "pods", "Pod", short: ["po"], categories: ["all"], status: true)
        add("", "v1", "podtemplates", "PodTemplate")
        add("", "v1", "replicationcontrollers", "ReplicationController", short: ["rc"], categories: ["all"],
            status: true, scale: true, generation: true)
        add("", "v1", "resourcequotas", "ResourceQuota", short: ["quota"], status: true)
        add("", "v1", "secrets", "Secret")
        add("", "v1", "serviceaccounts", "ServiceAccount", short: ["sa"])
        add("", "v1", "services", "Service", short: ["svc"], categories: ["all"], status: true)
        // apiregistration.k8s.io
        add("apiregistration.k8s.io", "v1", "apiservices", "APIService", namespaced: false,
            categories: ["api-extensions"], status: true)
        // apps
        add("apps", "v1", "controllerrevisions", "ControllerRevision")
        add("apps", "v1", "daemonsets", "DaemonSet", short: ["ds"], categories: ["all"], status: true, generation: true)
        add("apps", "v1", "deployments", "Deployment", short: ["deploy"], categories: ["all"], status: true,
            scale: true, generation: true)
        add("apps", "v1", "replicasets", "ReplicaSet", short: ["rs"], categories: ["all"], status: true,
            scale: true, generation: true)
        add("apps", "v1", "statefulsets", "StatefulSet", short: ["sts"], categories: ["all"], status: true,
            scale: true, generation: true)
        // events.k8s.io
        add("events.k8s.io", "v1", "events", "Event", short: ["ev"])
        // authorization.k8s.io: the review kinds are create-only
        add("authorization.k8s.io", "v1", "selfsubjectaccessreviews", "SelfSubjectAccessReview", namespaced: false,
            verbs: ["create"])
        // autoscaling: v2 preferred, v1 still served
        add("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", short: ["hpa"],
            categories: ["all"], status: true, generation: true)
        add("autoscaling", "v1", "horizontalpodautoscalers", "HorizontalPodAutoscaler", short: ["hpa"],
            categories: ["all"], status: true, generation: true)
        // batch
        add("batch", "v1", "cronjobs", "CronJob", short: ["cj"], categories: ["all"], status: true, generation: true)
        add("batch", "v1", "jobs", "Job", categories: ["all"], status: true, generation: true)
        // certificates.k8s.io
        add("certificates.k8s.io", "v1", "certificatesigningrequests", "CertificateSigningRequest", namespaced: false,
            short: ["csr"], status: true)
        // networking.k8s.io
        add("networking.k8s.io", "v1", "ingressclasses", "IngressClass", namespaced: false)
        add("networking.k8s.io", "v1", "ingresses", "Ingress", short: ["ing"], status: true, generation: true)
        add("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", short: ["netpol"], generation: true)
        // policy
        add("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", short: ["pdb"], status: true,
            generation: true)
        // rbac.authorization.k8s.io
        add("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", namespaced: false)
        add("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", namespaced: false)
        add("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding")
        add("rbac.authorization.k8s.io", "v1", "roles", "Role")
        // storage.k8s.io
        add("storage.k8s.io", "v1", "csidrivers", "CSIDriver", namespaced: false)
        add("storage.k8s.io", "v1", "csinodes", "CSINode", namespaced: false)
        add("storage.k8s.io", "v1", "csistoragecapacities", "CSIStorageCapacity")
        add("storage.k8s.io", "v1", "storageclasses", "StorageClass", namespaced: false, short: ["sc"])
        add("storage.k8s.io", "v1", "volumeattachments", "VolumeAttachment", namespaced: false, status: true)
        // admissionregistration.k8s.io
        add("admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations", "MutatingWebhookConfiguration",
            namespaced: false, categories: ["api-extensions"], generation: true)
        add("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations",
            "ValidatingWebhookConfiguration", namespaced: false, categories: ["api-extensions"], generation: true)
        // apiextensions.k8s.io
        add("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", namespaced: false,
            short: ["crd", "crds"], categories: ["api-extensions"], status: true, generation: true)
        // scheduling.k8s.io
        add("scheduling.k8s.io", "v1", "priorityclasses", "PriorityClass", namespaced: false, short: ["pc"])
        // coordination.k8s.io
        add("coordination.k8s.io", "v1", "leases", "Lease")
        // node.k8s.io
        add("node.k8s.io", "v1", "runtimeclasses", "RuntimeClass", namespaced: false)
        // discovery.k8s.io
        add("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice")
        return types
    }()
}

extension BuiltinResources {
    static func find(_ group: String, _ resource: String) -> ResourceType? {
        all.first { $0.group == group && $0.resource == resource }
    }
}
