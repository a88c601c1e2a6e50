{{/* Labels every object of the chart carries; call with (dict "root" $ "component" NAME). */}}
{{- define "seldon-core.labels" -}}
{{ include "seldon-core.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: seldon
app.kubernetes.io/managed-by: seldon-operator
{{- end }}

{{/* The stable subset of the labels, for selectors (which cannot change after creation). */}}
{{- define "seldon-core.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* The container security context: non-root, no privilege escalation, read-only root. */}}
{{- define "seldon-core.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: [ALL]
{{- end }}

{{- define "seldon-core.webhookService" -}}
seldon-webhook-service
{{- end }}
