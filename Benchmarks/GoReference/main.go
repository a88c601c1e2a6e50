// gotemplate-timing measures how long Go's text/template with sprig takes to execute
// template files, so `make bench` can print our engine's time as a ratio of Go's measured
// in the same run on the same machine.
//
//	gotemplate-timing -f values.yaml -runs N FILE...
//
// Every FILE is parsed into one set (files named _* only parsed), exactly as
// ../shared/tools/gotemplate-ref sets them up: the same data, the same Helm-style helper
// functions. Parsing happens once; each executable file is then executed `runs` times and
// the program prints, per file, "FILE<TAB>nanoseconds per execution<TAB>output bytes".
// Each execution gets its own deep copy of the data, made before the clock starts: Go's
// maps are shared, so a template that changes .Values (istio's zzz_profile.yaml stores a
// deepCopy of .Values inside .Values) would otherwise work on ever larger data, while every
// execution of ours starts from the same values.
// Files whose execution fails (templates that need a real chart around them) print
// "FILE<TAB>error<TAB>message" and are left out of the comparison by the caller.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/template"
	"time"

	"github.com/Masterminds/sprig/v3"
	"sigs.k8s.io/yaml"
)

type fileList []string

func (m *fileList) String() string     { return strings.Join(*m, ",") }
func (m *fileList) Set(v string) error { *m = append(*m, v); return nil }

func main() {
	var valueFiles fileList
	flag.Var(&valueFiles, "f", "values YAML file (repeatable)")
	runs := flag.Int("runs", 200, "executions per file")
	flag.Parse()

	values := map[string]interface{}{}
	for _, f := range valueFiles {
		raw, err := os.ReadFile(f)
		exitOn(err)
		var v map[string]interface{}
		exitOn(yaml.Unmarshal(raw, &v))
		for k, x := range v {
			values[k] = x
		}
	}
	data := map[string]interface{}{
		"Values":  values,
		"Release": map[string]interface{}{"Name": "release-name", "Namespace": "default", "Service": "Helm", "IsInstall": true, "IsUpgrade": false, "Revision": 1},
		"Chart":   map[string]interface{}{"Name": "chart", "Version": "0.1.0", "AppVersion": "1.0.0"},
		"Capabilities": map[string]interface{}{
			"KubeVersion": map[string]interface{}{"Version": "v1.30.0", "Major": "1", "Minor": "30", "GitVersion": "v1.30.0"},
		},
	}

	root := template.New("root").Option("missingkey=zero")
	root.Funcs(helpers(root))
	files := flag.Args()
	for _, f := range files {
		raw, err := os.ReadFile(f)
		exitOn(err)
		_, err = root.New(f).Parse(string(raw))
		exitOn(err)
	}
	sort.Strings(files)
	for _, f := range files {
		if strings.HasPrefix(filepath.Base(f), "_") {
			continue
		}
		var buf bytes.Buffer
		if err := root.ExecuteTemplate(&buf, f, deepCopy(data)); err != nil {
			fmt.Printf("%s\terror\t%s\n", f, strings.ReplaceAll(err.Error(), "\n", " "))
			continue
		}
		size := buf.Len()
		copies := make([]interface{}, *runs)
		for i := range copies {
			copies[i] = deepCopy(data)
		}
		start := time.Now()
		for i := 0; i < *runs; i++ {
			buf.Reset()
			_ = root.ExecuteTemplate(&buf, f, copies[i])
		}
		fmt.Printf("%s\t%d\t%d\n", f, time.Since(start).Nanoseconds()/int64(*runs), size)
	}
}

// deepCopy copies the maps and lists of template data, which Go shares by reference.
func deepCopy(v interface{}) interface{} {
	switch v := v.(type) {
	case map[string]interface{}:
		c := make(map[string]interface{}, len(v))
		for k, x := range v {
			c[k] = deepCopy(x)
		}
		return c
	case []interface{}:
		c := make([]interface{}, len(v))
		for i, x := range v {
			c[i] = deepCopy(x)
		}
		return c
	default:
		return v
	}
}

// helpers are the Helm functions sprig lacks, with Helm's behaviour.
func helpers(root *template.Template) template.FuncMap {
	m := sprig.TxtFuncMap()
	delete(m, "env")
	delete(m, "expandenv")
	m["toYaml"] = func(v interface{}) string {
		out, err := yaml.Marshal(v)
		if err != nil {
			return ""
		}
		return strings.TrimSuffix(string(out), "\n")
	}
	m["fromYaml"] = func(s string) map[string]interface{} {
		v := map[string]interface{}{}
		if err := yaml.Unmarshal([]byte(s), &v); err != nil {
			v["Error"] = err.Error()
		}
		return v
	}
	m["fromYamlArray"] = func(s string) []interface{} {
		var v []interface{}
		if err := yaml.Unmarshal([]byte(s), &v); err != nil {
			v = []interface{}{err.Error()}
		}
		return v
	}
	m["fromJson"] = m["fromYaml"]
	m["fromJsonArray"] = m["fromYamlArray"]
	m["toJson"] = func(v interface{}) string {
		out, err := yaml.Marshal(v)
		if err != nil {
			return ""
		}
		j, err := yaml.YAMLToJSON(out)
		if err != nil {
			return ""
		}
		return string(j)
	}
	m["required"] = func(msg string, v interface{}) (interface{}, error) {
		if v == nil {
			return v, errors.New(msg)
		}
		if s, ok := v.(string); ok && s == "" {
			return v, errors.New(msg)
		}
		return v, nil
	}
	m["include"] = func(name string, data interface{}) (string, error) {
		var buf bytes.Buffer
		err := root.ExecuteTemplate(&buf, name, data)
		return buf.String(), err
	}
	m["tpl"] = func(text string, data interface{}) (string, error) {
		t, err := root.Clone()
		if err != nil {
			return "", err
		}
		t, err = t.New("tpl").Parse(text)
		if err != nil {
			return "", err
		}
		var buf bytes.Buffer
		err = t.Execute(&buf, data)
		return buf.String(), err
	}
	m["lookup"] = func(apiVersion, kind, namespace, name string) (map[string]interface{}, error) {
		return map[string]interface{}{}, nil
	}
	return m
}

func exitOn(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
