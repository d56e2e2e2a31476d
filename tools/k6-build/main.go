// Package main is the k6 binary of this kit: stock k6 plus the kit's output
// extensions, assembled the way xk6 assembles extensions (blank imports whose
// init functions register them), so one `go build` makes bin/k6.
package main

import (
	k6cmd "go.k6.io/k6/cmd"

	_ "github.com/opensaves-loadkit/xk6-output-cloudwatch"
)

func main() {
	k6cmd.Execute()
}
