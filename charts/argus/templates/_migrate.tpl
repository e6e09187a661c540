{{/* The migration container, shared by the hook Job and the gateway init container.
Call with (dict "root" $ "secret" NAME "key" KEY "retry" BOOL). */}}
{{- define "argus.migrate.container" -}}
{{- $root := .root -}}
- name: migrate
  image: {{ include "argus.image" (dict "root" $root "image" $root.Values.gateway.image "gpu" false) }}
  imagePullPolicy: {{ $root.Values.image.pullPolicy }}
  {{- if .retry }}
  # The bundled database may still be starting: retry for up to 5 minutes.
  args:
    - /bin/sh
    - -c
    - |
      for attempt in $(seq 1 60); do
        argus migrate && exit 0
        echo "argus migrate failed (attempt $attempt/60); retrying in 5s"
        sleep 5
      done
      exit 1
  {{- else }}
  args: ["argus", "migrate"]
  {{- end }}
  env:
    - name: ARGUS_MODE
      value: cluster
    - name: ARGUS_LOG_LEVEL
      value: {{ $root.Values.config.logLevel | quote }}
    - name: ARGUS_DATABASE_URL
      valueFrom:
        secretKeyRef:
          name: {{ .secret }}
          key: {{ .key }}
  {{- with $root.Values.migrations.resources }}
  resources:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  securityContext:
    {{- toYaml $root.Values.securityContext | nindent 4 }}
  volumeMounts:
    - name: tmp
      mountPath: /tmp
{{- end -}}

{{- define "argus.migrate.initContainer" -}}
{{ include "argus.migrate.container" (dict "root" . "secret" (include "argus.secret.database" .) "key" (include "argus.secret.databaseKey" .) "retry" true) }}
{{- end -}}

{{/* Hook events of the migration Job: an external database exists before the release, the
bundled one only after its first install. */}}
{{- define "argus.migrate.hooks" -}}
{{- if include "argus.bundled.postgresql" . -}}
pre-upgrade
{{- else -}}
pre-install,pre-upgrade
{{- end -}}
{{- end -}}
