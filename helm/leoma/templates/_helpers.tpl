{{- define "leoma.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "leoma.fullname" -}}
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

{{/* Labels of every object. */}}
{{- define "leoma.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "leoma.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: leoma
{{- end -}}

{{/* Selector of one role: (dict "ctx" $ "component" "api"). */}}
{{- define "leoma.selectorLabels" -}}
app.kubernetes.io/name: {{ include "leoma.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "leoma.componentLabels" -}}
{{ include "leoma.labels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "leoma.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}
{{- end -}}

{{- define "leoma.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{ default (include "leoma.fullname" .) .Values.serviceAccount.name }}
{{- else -}}
{{ default "default" .Values.serviceAccount.name }}
{{- end -}}
{{- end -}}

{{/* The Secret every role reads; installing without it fails here, not in a crash-looping pod. */}}
{{- define "leoma.secretName" -}}
{{- required "existingSecret is required: create a Secret holding DATABASE_URL, REDIS_URL and API_KEY_HASH_SECRET (see helm/leoma/README.md) and pass its name as existingSecret" .Values.existingSecret -}}
{{- end -}}

{{/* Settings from values that are not in `config`: the chain endpoint, the rollout actuator. */}}
{{- define "leoma.derivedConfig" -}}
{{- if .Values.chainEndpoint }}
SUBTENSOR_WS_URL: {{ .Values.chainEndpoint | quote }}
{{- end }}
ROLLOUT_ACTUATOR: {{ .Values.rollout.actuator | quote }}
{{- if eq .Values.rollout.actuator "kubernetes" }}
{{- $k := .Values.rollout.kubernetes }}
{{- $_ := required "rollout.kubernetes.podTemplate.image is required with rollout.actuator=kubernetes: the GPU backend image (gpu/Dockerfile)" $k.podTemplate.image }}
KUBERNETES_GPU_NAMESPACE: {{ $k.namespace | quote }}
KUBERNETES_CLUSTER_DOMAIN: {{ $k.clusterDomain | quote }}
ROLLOUT_REPLICAS: {{ $k.replicasPerModel | quote }}
KUBERNETES_GPU_POD_TEMPLATE: {{ $k.podTemplate | toJson | quote }}
KUBERNETES_GPU_KEDA: {{ $k.keda | toJson | quote }}
ROLLOUT_PREFETCH_BACKENDS: {{ $k.prefetchBackends | quote }}
ROLLOUT_PREFETCH_MAX_MODELS: {{ $k.prefetchMaxModels | quote }}
{{- end }}
{{- end -}}

{{/* Worker pods run the rollout controller: they alone get an API token, and only for the kubernetes actuator. */}}
{{- define "leoma.workerAutomountToken" -}}
{{- or .Values.serviceAccount.automountToken (eq .Values.rollout.actuator "kubernetes") -}}
{{- end -}}

{{/* Pod-level pieces shared by api and worker. */}}
{{- define "leoma.podCommon" -}}
serviceAccountName: {{ include "leoma.serviceAccountName" . }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- end -}}

{{- define "leoma.envFrom" -}}
- configMapRef:
    name: {{ include "leoma.fullname" . }}
- secretRef:
    name: {{ include "leoma.secretName" . }}
{{- with .Values.extraEnvFrom }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/*
Blanks the treasury signing secret in pods that must never hold it (the API, the migration Job):
an explicit env entry wins over envFrom, so a TREASURY_SIGNER_SECRET left in the shared Secret
never reaches them. Last in the list, so extraEnv cannot bring it back.
*/}}
{{- define "leoma.noTreasurySigner" -}}
- { name: TREASURY_SIGNER_SECRET, value: "" }
{{- end -}}

{{/* Spread each role across nodes and zones by default unless the user gave constraints. */}}
{{- define "leoma.topologySpread" -}}
{{- $sel := include "leoma.selectorLabels" (dict "ctx" .ctx "component" .component) | fromYaml -}}
{{- $given := .constraints -}}
{{- if $given }}
{{- range $given }}
- {{- toYaml (merge (dict "labelSelector" (dict "matchLabels" $sel)) .) | nindent 2 }}
{{- end }}
{{- else }}
- maxSkew: 1
  topologyKey: kubernetes.io/hostname
  whenUnsatisfiable: ScheduleAnyway
  labelSelector:
    matchLabels:
      {{- toYaml $sel | nindent 6 }}
{{- end }}
{{- end -}}
