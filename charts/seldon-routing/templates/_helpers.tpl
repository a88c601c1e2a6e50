{{/* Labels every object carries; call with (dict "root" $ "component" NAME). */}}
{{- define "routing.labels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
app.kubernetes.io/part-of: seldon
app.kubernetes.io/managed-by: seldon-operator
{{- end }}
