{{/* ================================================================ names */}}

{{- define "argus.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* <release>-<chart>, or the release name alone when it already contains the chart name. */}}
{{- define "argus.fullname" -}}
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

{{- define "argus.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* ================================================================ labels
Call with (dict "root" $ "component" "gateway"). */}}

{{- define "argus.selectorLabels" -}}
app.kubernetes.io/name: {{ include "argus.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- if .component }}
app.kubernetes.io/component: {{ .component }}
{{- end }}
{{- end -}}

{{- define "argus.labels" -}}
helm.sh/chart: {{ include "argus.chart" .root }}
{{ include "argus.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: argus
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "argus.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "argus.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* ================================================================ bundled services */}}

{{- define "argus.bundled.postgresql" -}}
{{- if and .Values.bundled.enabled .Values.bundled.postgresql.enabled -}}true{{- end -}}
{{- end -}}

{{- define "argus.bundled.redis" -}}
{{- if and .Values.bundled.enabled .Values.bundled.redis.enabled -}}true{{- end -}}
{{- end -}}

{{- define "argus.bundled.minio" -}}
{{- if and .Values.bundled.enabled .Values.bundled.minio.enabled -}}true{{- end -}}
{{- end -}}

{{- define "argus.postgresql.host" -}}{{ include "argus.fullname" . }}-postgresql{{- end -}}
{{- define "argus.redis.host" -}}{{ include "argus.fullname" . }}-redis{{- end -}}
{{- define "argus.minio.host" -}}{{ include "argus.fullname" . }}-minio{{- end -}}

{{/* ================================================================ secrets
Names of the Secrets the pods read, honouring existingSecret. */}}

{{- define "argus.secret.auth" -}}
{{- default (printf "%s-auth" (include "argus.fullname" .)) .Values.auth.existingSecret -}}
{{- end -}}

{{- define "argus.secret.database" -}}
{{- if and .Values.database.existingSecret (not (include "argus.bundled.postgresql" .)) -}}
{{- .Values.database.existingSecret -}}
{{- else -}}
{{- printf "%s-database" (include "argus.fullname" .) -}}
{{- end -}}
{{- end -}}

{{- define "argus.secret.databaseKey" -}}
{{- if and .Values.database.existingSecret (not (include "argus.bundled.postgresql" .)) -}}
{{- .Values.database.existingSecretKey -}}
{{- else -}}
ARGUS_DATABASE_URL
{{- end -}}
{{- end -}}

{{- define "argus.secret.broker" -}}
{{- if and .Values.broker.existingSecret (not (include "argus.bundled.redis" .)) -}}
{{- .Values.broker.existingSecret -}}
{{- else -}}
{{- printf "%s-broker" (include "argus.fullname" .) -}}
{{- end -}}
{{- end -}}

{{- define "argus.secret.s3" -}}
{{- if and .Values.s3.existingSecret (not (include "argus.bundled.minio" .)) -}}
{{- .Values.s3.existingSecret -}}
{{- else -}}
{{- printf "%s-s3" (include "argus.fullname" .) -}}
{{- end -}}
{{- end -}}

{{/* A secret value: the one given in values, else the one already stored in the cluster
(so generated secrets survive upgrades), else the freshly generated one.
Call with (dict "root" $ "secret" NAME "key" KEY "value" GIVEN "generate" RANDOM). */}}
{{- define "argus.secretValue" -}}
{{- if .value -}}
{{- .value -}}
{{- else -}}
{{- $existing := lookup "v1" "Secret" .root.Release.Namespace .secret -}}
{{- if and $existing $existing.data (hasKey $existing.data .key) -}}
{{- index $existing.data .key | b64dec -}}
{{- else -}}
{{- .generate -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "argus.s3.endpointUrl" -}}
{{- if include "argus.bundled.minio" . -}}
{{- printf "http://%s:9000" (include "argus.minio.host" .) -}}
{{- else -}}
{{- required "s3.endpointUrl is required when the bundled MinIO is disabled" .Values.s3.endpointUrl -}}
{{- end -}}
{{- end -}}

{{/* ================================================================ images */}}

{{/* An Argus image. Call with (dict "root" $ "image" .image "gpu" BOOL). */}}
{{- define "argus.image" -}}
{{- $root := .root -}}
{{- $repository := required "image.repository is required for every Argus component" .image.repository -}}
{{- with $root.Values.image.registry -}}
{{- $repository = printf "%s/%s" (trimSuffix "/" .) $repository -}}
{{- end -}}
{{- $release := default $root.Chart.AppVersion $root.Values.image.tag -}}
{{- $tag := default (printf "%s-%s" $release (ternary "cuda" "cpu" (eq (toString .gpu) "true"))) .image.tag -}}
{{- if .image.digest -}}
{{- printf "%s:%s@%s" $repository $tag .image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repository $tag -}}
{{- end -}}
{{- end -}}

{{/* A third-party image {repository, tag}. */}}
{{- define "argus.thirdPartyImage" -}}
{{- printf "%s:%s" .repository .tag -}}
{{- end -}}

{{- define "argus.imagePullSecrets" -}}
{{- with .Values.image.pullSecrets -}}
imagePullSecrets:
{{- range . }}
  - name: {{ . }}
{{- end }}
{{- end -}}
{{- end -}}

{{/* ================================================================ environment */}}

{{/* Environment every Argus container gets: the ConfigMap plus the secrets. */}}
{{- define "argus.envFrom" -}}
envFrom:
  - configMapRef:
      name: {{ include "argus.fullname" . }}-config
{{- end -}}

{{- define "argus.secretEnv" -}}
- name: ARGUS_ROOT_ACCESS_KEY_ID
  valueFrom:
    secretKeyRef:
      name: {{ include "argus.secret.auth" . }}
      key: ARGUS_ROOT_ACCESS_KEY_ID
- name: ARGUS_ROOT_SECRET_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "argus.secret.auth" . }}
      key: ARGUS_ROOT_SECRET_ACCESS_KEY
- name: ARGUS_SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "argus.secret.auth" . }}
      key: ARGUS_SECRET_KEY
- name: ARGUS_DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "argus.secret.database" . }}
      key: {{ include "argus.secret.databaseKey" . }}
- name: ARGUS_BROKER_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "argus.secret.broker" . }}
      key: ARGUS_BROKER_URL
- name: ARGUS_RESULT_BACKEND_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "argus.secret.broker" . }}
      key: ARGUS_RESULT_BACKEND_URL
      optional: true
- name: ARGUS_S3_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "argus.secret.s3" . }}
      key: ARGUS_S3_ACCESS_KEY
- name: ARGUS_S3_SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "argus.secret.s3" . }}
      key: ARGUS_S3_SECRET_KEY
{{- end -}}

{{/* ================================================================ models */}}

{{- define "argus.models.claimName" -}}
{{- default (printf "%s-models" (include "argus.fullname" .)) .Values.models.persistentVolumeClaim.claimName -}}
{{- end -}}

{{- define "argus.models.volume" -}}
{{- if eq .Values.models.source "pvc" -}}
- name: models
  persistentVolumeClaim:
    claimName: {{ include "argus.models.claimName" . }}
    readOnly: true
{{- else if eq .Values.models.source "s3" -}}
- name: models
  emptyDir:
    sizeLimit: {{ .Values.models.s3.sizeLimit }}
{{- end }}
{{- end -}}

{{- define "argus.models.volumeMount" -}}
{{- if eq .Values.models.source "pvc" -}}
- name: models
  mountPath: /models
  readOnly: true
  {{- with .Values.models.persistentVolumeClaim.subPath }}
  subPath: {{ . }}
  {{- end }}
{{- else if eq .Values.models.source "s3" -}}
- name: models
  mountPath: /models
  readOnly: true
{{- end }}
{{- end -}}

{{/* Init container copying the weights from the object store (models.source=s3). */}}
{{- define "argus.models.initContainer" -}}
{{- if eq .Values.models.source "s3" -}}
- name: fetch-models
  image: {{ include "argus.thirdPartyImage" .Values.models.s3.image }}
  imagePullPolicy: IfNotPresent
  command: ["/bin/sh", "-c"]
  args:
    - |
      set -e
      mc alias set models "$ARGUS_S3_ENDPOINT_URL" "$ARGUS_S3_ACCESS_KEY" "$ARGUS_S3_SECRET_KEY" >/dev/null
      mc mirror --overwrite "models/$MODELS_BUCKET/$MODELS_PREFIX" /models
      echo "model weights copied into /models"
  env:
    - name: MC_CONFIG_DIR
      value: /tmp/.mc
    - name: MODELS_BUCKET
      value: {{ .Values.models.s3.bucket | quote }}
    - name: MODELS_PREFIX
      value: {{ .Values.models.s3.prefix | quote }}
    - name: ARGUS_S3_ENDPOINT_URL
      valueFrom:
        configMapKeyRef:
          name: {{ include "argus.fullname" . }}-config
          key: ARGUS_S3_ENDPOINT_URL
    - name: ARGUS_S3_ACCESS_KEY
      valueFrom:
        secretKeyRef:
          name: {{ include "argus.secret.s3" . }}
          key: ARGUS_S3_ACCESS_KEY
    - name: ARGUS_S3_SECRET_KEY
      valueFrom:
        secretKeyRef:
          name: {{ include "argus.secret.s3" . }}
          key: ARGUS_S3_SECRET_KEY
  securityContext:
    {{- toYaml .Values.securityContext | nindent 4 }}
  {{- with .Values.models.s3.resources }}
  resources:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  volumeMounts:
    - name: models
      mountPath: /models
    - name: tmp
      mountPath: /tmp
{{- end }}
{{- end -}}

{{/* ================================================================ checks */}}

{{- define "argus.validate" -}}
{{- if eq .Values.models.source "pvc" -}}
{{- if and (not .Values.models.persistentVolumeClaim.create) (not .Values.models.persistentVolumeClaim.claimName) -}}
{{- fail "models.source=pvc needs models.persistentVolumeClaim.claimName (an existing claim) or models.persistentVolumeClaim.create=true" -}}
{{- end -}}
{{- end -}}
{{- if not (include "argus.bundled.postgresql" .) -}}
{{- if not (or .Values.database.url .Values.database.existingSecret) -}}
{{- fail "the bundled PostgreSQL is disabled: set database.url or database.existingSecret" -}}
{{- end -}}
{{- end -}}
{{- if not (include "argus.bundled.redis" .) -}}
{{- if not (or .Values.broker.url .Values.broker.existingSecret) -}}
{{- fail "the bundled Redis is disabled: set broker.url or broker.existingSecret" -}}
{{- end -}}
{{- end -}}
{{- if not (include "argus.bundled.minio" .) -}}
{{- if not .Values.s3.endpointUrl -}}
{{- fail "the bundled MinIO is disabled: set s3.endpointUrl" -}}
{{- end -}}
{{- if not (or .Values.s3.existingSecret (and .Values.s3.accessKey .Values.s3.secretKey)) -}}
{{- fail "the bundled MinIO is disabled: set s3.accessKey and s3.secretKey, or s3.existingSecret" -}}
{{- end -}}
{{- end -}}
{{- $components := dict "gateway" .Values.gateway -}}
{{- range $role, $worker := .Values.workers -}}
{{- $_ := set $components (printf "workers.%s" $role) $worker -}}
{{- end -}}
{{- range $path, $c := $components -}}
{{- if and $c.autoscaling.enabled (gt (int $c.autoscaling.minReplicas) (int $c.autoscaling.maxReplicas)) -}}
{{- fail (printf "%s.autoscaling.minReplicas (%v) exceeds maxReplicas (%v)" $path $c.autoscaling.minReplicas $c.autoscaling.maxReplicas) -}}
{{- end -}}
{{- end -}}
{{- range $role, $worker := .Values.workers -}}
{{- if and $worker.gpu.enabled (eq $worker.device "cpu") -}}
{{- fail (printf "workers.%s: gpu.enabled=true with device=cpu would waste the GPU; use device cuda or auto" $role) -}}
{{- end -}}
{{- if and (not $worker.gpu.enabled) (eq $worker.device "cuda") -}}
{{- fail (printf "workers.%s: device=cuda needs gpu.enabled=true (a GPU and the -cuda image)" $role) -}}
{{- end -}}
{{- end -}}
{{- end -}}
