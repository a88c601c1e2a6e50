{{/* Labels every object carries; call with (dict "root" $ "component" NAME). */}}
{{- define "seldon-operator.labels" -}}
{{ include "seldon-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: seldon
{{- /* Helm manages these, not the controller: its drift watches select managed-by=seldon-operator. */}}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- end }}

{{- define "seldon-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "seldon-operator.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end }}
