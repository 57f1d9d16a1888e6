{{- define "leoma.name" -}}{{ .Release.Name }}-leoma{{- end -}}
{{- define "leoma.env" -}}
{{- range $k, $v := .Values.env }}
- name: {{ $k }}
  value: {{ $v | quote }}
{{- end }}
{{- end -}}
