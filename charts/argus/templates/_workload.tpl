{{/* One Argus Deployment (gateway or a worker role).
Call with (dict
  "root" $                      the chart context
  "component" "worker-image"    app.kubernetes.io/component and the name suffix
  "values" $values              the component's values (gateway or workers.<role>)
  "gpu" true|false              whether it requests GPUs
  "args" (list ...)             the container's args (the image's entrypoint is tini)
  "probes" $probes              dict of livenessProbe/readinessProbe/startupProbe
  "ports" $ports                list of container ports (may be empty)
  "initContainers" $yaml        extra init containers as a YAML list string (may be "")
). */}}
{{- define "argus.deployment" -}}
{{- $root := .root -}}
{{- $v := .values -}}
{{- $labels := dict "root" $root "component" .component -}}
{{- $tolerations := $v.tolerations | default list -}}
{{- if and .gpu $v.gpu.tolerateGpuTaint -}}
{{- $tolerations = append $tolerations (dict "key" $v.gpu.resourceName "operator" "Exists" "effect" "NoSchedule") -}}
{{- end -}}
{{- $device := $v.device -}}
{{- if and .gpu (eq $device "auto") -}}{{- $device = "cuda" -}}{{- end -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "argus.fullname" $root }}-{{ .component }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "argus.labels" $labels | nindent 4 }}
spec:
  {{- if not $v.autoscaling.enabled }}
  replicas: {{ $v.replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "argus.selectorLabels" $labels | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "argus.selectorLabels" $labels | nindent 8 }}
        {{- with $v.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      annotations:
        checksum/config: {{ include (print $root.Template.BasePath "/configmap.yaml") $root | sha256sum }}
        checksum/secrets: {{ include (print $root.Template.BasePath "/secrets.yaml") $root | sha256sum }}
        {{- with $v.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "argus.serviceAccountName" $root }}
      automountServiceAccountToken: {{ $root.Values.serviceAccount.automountServiceAccountToken }}
      {{- with include "argus.imagePullSecrets" $root }}
      {{- . | nindent 6 }}
      {{- end }}
      securityContext:
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
      terminationGracePeriodSeconds: {{ $v.terminationGracePeriodSeconds }}
      {{- with $v.priorityClassName }}
      priorityClassName: {{ . }}
      {{- end }}
      {{- with $v.runtimeClassName }}
      runtimeClassName: {{ . }}
      {{- end }}
      {{- $init := list (include "argus.models.initContainer" $root) (.initContainers | default "") | compact }}
      {{- if $init }}
      initContainers:
        {{- range $init }}
        {{- . | nindent 8 }}
        {{- end }}
      {{- end }}
      containers:
        - name: {{ .component }}
          image: {{ include "argus.image" (dict "root" $root "image" $v.image "gpu" .gpu) }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          args:
            {{- toYaml .args | nindent 12 }}
          {{- with .ports }}
          ports:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- include "argus.envFrom" $root | nindent 10 }}
          env:
            - name: ARGUS_DEVICE
              value: {{ $device | quote }}
            {{- include "argus.secretEnv" $root | nindent 12 }}
            {{- with $v.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          {{- toYaml .probes | nindent 10 }}
          resources:
            {{- $resources := deepCopy ($v.resources | default dict) }}
            {{- if .gpu }}
            {{- $limits := $resources.limits | default dict }}
            {{- $_ := set $limits $v.gpu.resourceName $v.gpu.count }}
            {{- $_ := set $resources "limits" $limits }}
            {{- end }}
            {{- toYaml $resources | nindent 12 }}
          securityContext:
            {{- toYaml $root.Values.securityContext | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- with include "argus.models.volumeMount" $root }}
            {{- . | nindent 12 }}
            {{- end }}
            {{- if $v.shmSizeLimit }}
            - name: dshm
              mountPath: /dev/shm
            {{- end }}
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: {{ $root.Values.tmpSizeLimit }}
        {{- with include "argus.models.volume" $root }}
        {{- . | nindent 8 }}
        {{- end }}
        {{- if $v.shmSizeLimit }}
        - name: dshm
          emptyDir:
            medium: Memory
            sizeLimit: {{ $v.shmSizeLimit }}
        {{- end }}
      {{- with $v.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.topologySpreadConstraints }}
      topologySpreadConstraints:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end -}}

{{/* HorizontalPodAutoscaler for a Deployment. (dict "root" $ "component" NAME "values" $v) */}}
{{- define "argus.hpa" -}}
{{- $root := .root -}}
{{- $v := .values -}}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "argus.fullname" $root }}-{{ .component }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "argus.labels" (dict "root" $root "component" .component) | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "argus.fullname" $root }}-{{ .component }}
  minReplicas: {{ $v.autoscaling.minReplicas }}
  maxReplicas: {{ $v.autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $v.autoscaling.targetCPUUtilizationPercentage }}
{{- end -}}

{{/* PodDisruptionBudget for a Deployment. (dict "root" $ "component" NAME "values" $v) */}}
{{- define "argus.pdb" -}}
{{- $root := .root -}}
{{- $v := .values -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "argus.fullname" $root }}-{{ .component }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "argus.labels" (dict "root" $root "component" .component) | nindent 4 }}
spec:
  {{- if not (kindIs "invalid" $v.pdb.minAvailable) }}
  minAvailable: {{ $v.pdb.minAvailable }}
  {{- else }}
  maxUnavailable: {{ $v.pdb.maxUnavailable }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "argus.selectorLabels" (dict "root" $root "component" .component) | nindent 6 }}
{{- end -}}
