// Command floor is the floor of the side-by-side comparison (see
// cmd/vaultbench): it walks a vault, reads every note and parses it with
// goldmark on all CPUs, and does nothing else. A linter built on goldmark
// cannot be faster; vaultlint's time is read as a multiple of this one.
//
//	floor VAULT
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/vaultlint/vaultlint/internal/bench"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: floor VAULT")
		os.Exit(2)
	}
	r, err := bench.ParseFloor(context.Background(), os.Args[1])
	if err != nil {
		fmt.Fprintf(os.Stderr, "floor: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("%d notes, %d bytes parsed\n", r.Notes, r.Bytes)
}
