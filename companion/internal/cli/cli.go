// Package cli is the command-line face of the replyguard command. Each
// subcommand lives in its own file and registers itself in init, so adding a
// command never touches another command's file.
package cli

import (
	"fmt"
	"io"
	"sort"
)

// Command is one subcommand.
type Command struct {
	Name    string
	Summary string
	// Run executes the command with the arguments after its name and returns
	// the process exit status.
	Run func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

var commands = map[string]Command{}

// Register adds a subcommand; call it from init.
func Register(c Command) {
	if _, dup := commands[c.Name]; dup {
		panic("cli: command registered twice: " + c.Name)
	}
	commands[c.Name] = c
}

// DefaultCommand runs when replyguard is started with no arguments.
const DefaultCommand = "serve"

// Main dispatches to a subcommand and returns the exit status.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	name := DefaultCommand
	if len(args) > 0 {
		name, args = args[0], args[1:]
	}
	switch name {
	case "help", "-h", "--help":
		usage(stdout)
		return 0
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "replyguard: unknown command %q\n\n", name)
		usage(stderr)
		return 2
	}
	return c.Run(args, stdin, stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: replyguard <command> [flags]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].Summary)
	}
	fmt.Fprintf(w, "\nWith no command, replyguard runs %q.\n", DefaultCommand)
}
