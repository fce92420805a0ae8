"""Entry point of the `despin` command: one click group, one module per verb."""
from __future__ import annotations

import sys

import click

from despin import __version__
from despin.cache import CacheFolderError
from despin.cli import bugs, output
from despin.reporting.safe import printable


class _Group(click.Group):
    """The command group, with a last resort for despin's own bugs (cli/bugs.py)."""

    def invoke(self, ctx: click.Context):
        try:
            output.require()
            return super().invoke(ctx)
        except click.exceptions.ClickException as exc:
            # A usage error quotes the command line, where a file name a glob picked up may hold
            # escape sequences ("Got unexpected extra argument (evil\x1b]52;...)"); click shows
            # it as it is.
            exc.message = printable(exc.message)
            raise
        except (click.exceptions.Exit, click.exceptions.Abort):
            raise  # click's own ways out: --help, Ctrl-C
        except KeyboardInterrupt:
            # Ctrl-C: exit 1 would read as "spin found" or "source found".
            click.echo("despin: interrupted", err=True)
            sys.exit(2)
        except CacheFolderError as exc:
            # A setting to change, the same for every file: said once, not as despin's bug.
            click.echo(f"despin: {printable(str(exc))}", err=True)
            sys.exit(2)
        except BrokenPipeError:
            # The reader went away (`despin check --json *.txt | head`): nothing is left to say to
            # it. Exit as the shell reports a command stopped by SIGPIPE, as `cat` or `grep` would
            # be: not 0 or 1, which would be a verdict on texts not all read, nor 2, despin's errors.
            output.discard()
            sys.exit(141)  # 128 + SIGPIPE (13)
        except output.OutputError as exc:
            click.echo(f"despin: cannot write the output: {exc}", err=True)
            output.discard()
            sys.exit(2)
        except Exception as exc:  # noqa: BLE001
            if bugs.debugging():
                raise
            click.echo(f"despin: {printable(bugs.describe(exc))}", err=True)
            sys.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="despin")
def main() -> None:
    """Find machine-spun text, restore what it originally said, and trace it to its source.

    \b
    Examples:
      despin check article.html          which spans are spun, how sure, why
      despin check --json crawl/*.txt    one JSON object per input
      despin restore --explain page.txt  the original wording, every change explained

    Exit codes: 0 clean (no span at least 50% sure), 1 spin found, 2 error.
    """


from despin.cli.cache_cmd import cache_group  # noqa: E402
from despin.cli.check_cmd import check_cmd, restore_cmd  # noqa: E402
from despin.cli.trace_cmd import index_group, trace_cmd  # noqa: E402

main.add_command(check_cmd)
main.add_command(restore_cmd)
main.add_command(index_group)
main.add_command(trace_cmd)
main.add_command(cache_group)
