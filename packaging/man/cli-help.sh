#!/bin/sh
# cli-help.sh PODSCOPE_CLI --help|--version
#
# One --help for the whole of podscope-cli, for help2man: the program's own
# help, then each subcommand's (as listed under "Subcommands:") in a section
# of its own, so the man page describes every option.
set -eu
cli=$1
shift
case "${1:-}" in
  --help) ;;
  *) exec "$cli" "$@" ;;
esac

"$cli" --help
subcommands=$("$cli" --help | awk '/^Subcommands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { on = 0 }')
for sub in $subcommands; do
  # The subcommand's description and usage, indented under a heading of
  # their own (help2man would read its own "Usage:" as the program's), then
  # its positionals and options under headings that name it.
  printf '\nSubcommand %s:\n' "$sub"
  "$cli" "$sub" --help | sed -e '/^[A-Za-z]*:$/,$d' -e '/^$/d' -e 's/^Usage: /usage: /' -e 's/^/  /'
  echo
  "$cli" "$sub" --help | sed -n -e '/^[A-Za-z]*:$/,$p' | sed -e 's/^\([A-Za-z]*\):$/\1 of '"$sub"':/'
done
