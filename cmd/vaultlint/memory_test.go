package main

import "testing"

func TestMemoryLimit(t *testing.T) {
	for _, tc := range []struct {
		bytes     int64
		streaming bool
		env       map[string]string
		want      int64
	}{
		{bytes: 0, want: 64 << 20},
		{bytes: 1 << 20, want: 64 << 20}, // small vault: the floor
		{bytes: 27 << 20, want: 27<<20*4 + 8<<20},
		{bytes: 538 << 20, want: 538<<20*4 + 8<<20},
		{bytes: 1 << 20, streaming: true, want: 64 << 20},
		{bytes: 28 << 20, streaming: true, want: 70<<20 + 8<<20},
		{bytes: 538 << 20, streaming: true, want: 1345<<20 + 8<<20},
		{bytes: 27 << 20, env: map[string]string{"GOMEMLIMIT": "1GiB"}, want: 0},
		{bytes: 27 << 20, env: map[string]string{"GOGC": "off"}, want: 0},
		{bytes: 27 << 20, env: map[string]string{"GOGC": "100"}, want: 0},
		{bytes: 1 << 62, want: 0}, // would overflow
	} {
		env := func(k string) string { return tc.env[k] }
		if got := memoryLimit(tc.bytes, tc.streaming, env); got != tc.want {
			t.Errorf("memoryLimit(%d, %v, %v) = %d, want %d", tc.bytes, tc.streaming, tc.env, got, tc.want)
		}
	}
}
