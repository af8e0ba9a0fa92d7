package report

import (
	"io"
	"strconv"
	"strings"

	"github.com/vaultlint/vaultlint/rules"
)

// GitHub writes one GitHub Actions workflow command per diagnostic, which
// the runner turns into an annotation on the file:
//
//	::error file=PATH,line=L,col=C,endLine=L2,endColumn=C2,title=RULE::MESSAGE
//
// (::warning and ::notice for the other severities). Values are escaped
// as GitHub's toolkit does, so that a message or path holding "%", line
// breaks, ":" or "," stays one command with the right properties. The
// runner itself drops the columns of a span that covers several lines.
func GitHub(w io.Writer, ds []rules.Diagnostic) error {
	var b strings.Builder
	for i := range ds {
		d := &ds[i]
		r := regionOf(d)
		b.WriteString("::")
		b.WriteString(githubCommand(d.Severity))
		b.WriteString(" file=")
		b.WriteString(escapeProperty(d.Path))
		for _, kv := range [...]struct {
			k string
			v int
		}{{"line", r.StartLine}, {"col", r.StartColumn}, {"endLine", r.EndLine}, {"endColumn", r.EndColumn}} {
			b.WriteByte(',')
			b.WriteString(kv.k)
			b.WriteByte('=')
			b.WriteString(strconv.Itoa(kv.v))
		}
		b.WriteString(",title=")
		b.WriteString(escapeProperty(d.Rule))
		b.WriteString("::")
		b.WriteString(escapeData(d.Message))
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func githubCommand(s rules.Severity) string {
	switch s {
	case rules.Error:
		return "error"
	case rules.Warning:
		return "warning"
	}
	return "notice"
}

// escapeData escapes a command's message as the toolkit's escapeData.
var escapeData = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace

// escapeProperty escapes a property value as the toolkit's
// escapeProperty: the message's escapes, and ":" and "," that would end
// the value.
var escapeProperty = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace
