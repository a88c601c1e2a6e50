{{/* Labels every object carries; call with (dict "root" $ "component" NAME). */}}
{{- define "payloadstore.labels" -}}
{{ include "payloadstore.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: seldon
app.kubernetes.io/managed-by: seldon-operator
{{- end }}

{{- define "payloadstore.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* seldon-internal-opensearch-cluster-master: pods -0, -1, -2 and the client Service. */}}
{{- define "payloadstore.fullname" -}}
{{ .Release.Name }}-cluster-master
{{- end }}
