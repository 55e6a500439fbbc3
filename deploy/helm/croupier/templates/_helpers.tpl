{{/* The release's base name: <release>-croupier, or the release name when it already says croupier. */}}
{{- define "croupier.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "croupier.selectorLabels" -}}
app.kubernetes.io/name: {{ default .Chart.Name .Values.nameOverride }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "croupier.labels" -}}
{{ include "croupier.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "croupier.image" -}}
{{ .Values.image.repository }}:{{ default .Chart.AppVersion .Values.image.tag }}
{{- end -}}

{{- define "croupier.secretName" -}}
{{- default (printf "%s-config" (include "croupier.fullname" .)) .Values.secrets.existingSecret -}}
{{- end -}}

{{- define "croupier.jwtSecretName" -}}
{{- default (printf "%s-jwt-keys" (include "croupier.fullname" .)) .Values.jwtKeys.existingSecret -}}
{{- end -}}

{{/* Environment shared by every node and the migration Job. Env wins over the config file. */}}
{{- define "croupier.env" -}}
- name: CROUPIER_CONFIG
  value: /etc/croupier/config/config.json
- name: CROUPIER_JWT_KEYS_DIR
  value: /etc/croupier/keys
- name: CROUPIER_DATA_DIR
  value: /var/lib/croupier
- name: PORT
  value: {{ .Values.port | quote }}
- name: CROUPIER_PAYMENTS_SANDBOX_WEBHOOK_URL
  value: {{ default (printf "http://%s-payments:%v/v1/payments/webhooks/sandbox" (include "croupier.fullname" .) .Values.port) .Values.config.paymentsSandboxWebhookUrl | quote }}
{{- end -}}

{{- define "croupier.envFrom" -}}
- secretRef:
    name: {{ include "croupier.secretName" . }}
{{- end -}}

{{- define "croupier.volumeMounts" -}}
- name: config
  mountPath: /etc/croupier/config
  readOnly: true
- name: jwt-keys
  mountPath: /etc/croupier/keys
  readOnly: true
- name: data
  mountPath: /var/lib/croupier
{{- end -}}

{{- define "croupier.volumes" -}}
- name: config
  configMap:
    name: {{ include "croupier.fullname" . }}
- name: jwt-keys
  secret:
    secretName: {{ include "croupier.jwtSecretName" . }}
- name: data
  emptyDir: {}
{{- end -}}
