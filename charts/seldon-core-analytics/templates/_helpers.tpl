{{/* Labels every object carries; call with (dict "root" $ "component" NAME). */}}
{{- define "analytics.labels" -}}
{{ include "analytics.selectorLabels" . }}
app.kubernetes.io/part-of: seldon
app.kubernetes.io/managed-by: seldon-operator
{{- end }}

{{- define "analytics.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* NAME-COMPONENT, e.g. seldon-core-analytics-prometheus-seldon. */}}
{{- define "analytics.name" -}}
{{ .root.Release.Name }}-{{ .component }}
{{- end }}

{{/* Non-root pod security for the Prometheus family (nobody, as their images run). */}}
{{- define "analytics.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65534
runAsGroup: 65534
fsGroup: 65534
seccompProfile: {type: RuntimeDefault}
{{- end }}

{{- define "analytics.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
{{- end }}

{{/* The config-reloader sidecar; call with (dict "root" $ "volume" NAME "port" N "url" RELOAD-URL). */}}
{{- define "analytics.configReloader" -}}
- name: config-reloader
  image: "{{ .root.Values.configReloader.image.repository }}:{{ .root.Values.configReloader.image.tag }}"
  args:
    - --watched-dir=/etc/config
    - --reload-url={{ .url }}
    - --listen-address=:{{ .port }}
  ports:
    - {name: reloader, containerPort: {{ .port }}}
  readinessProbe:
    httpGet: {path: /healthz, port: reloader}
  livenessProbe:
    httpGet: {path: /healthz, port: reloader}
  resources:
    {{- toYaml .root.Values.configReloader.resources | nindent 4 }}
  securityContext:
    {{- include "analytics.containerSecurityContext" . | nindent 4 }}
  volumeMounts:
    - {name: {{ .volume }}, mountPath: /etc/config, readOnly: true}
{{- end }}
