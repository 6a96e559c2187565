{{/* The release's name for every object (one install per namespace). */}}
{{- define "node-rescue.name" -}}
{{- default .Release.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "node-rescue.labels" -}}
app.kubernetes.io/name: node-rescue
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "node-rescue.selector" -}}
app.kubernetes.io/name: node-rescue
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* single or ha; anything else stops the install with the reason. */}}
{{- define "node-rescue.ha" -}}
{{- if eq .Values.profile "ha" -}}true{{- else if eq .Values.profile "single" -}}{{- else -}}
{{- fail (printf "profile must be single or ha, not %q" .Values.profile) -}}
{{- end -}}
{{- end -}}

{{- define "node-rescue.replicas" -}}
{{- if include "node-rescue.ha" . -}}
{{- $n := int (default 2 .Values.replicas) -}}
{{- if lt $n 2 -}}{{- fail "profile ha needs replicas >= 2" -}}{{- end -}}
{{- $n -}}
{{- else -}}
{{- if and .Values.replicas (ne (int .Values.replicas) 1) -}}{{- fail "profile single runs exactly one replica (SQLite); use profile ha for more" -}}{{- end -}}
1
{{- end -}}
{{- end -}}

{{- define "node-rescue.leaderElection" -}}
{{- if kindIs "bool" .Values.leaderElection.enabled -}}{{ .Values.leaderElection.enabled }}{{- else -}}{{ ternary "true" "false" (eq (include "node-rescue.ha" .) "true") }}{{- end -}}
{{- end -}}
