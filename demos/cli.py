r"""The ``chainrule`` command: run a lesson, or step through an expression.

    chainrule demo --list
    chainrule demo NAME [--out DIR] [--seed N] [--no-progress] [--cnn] [--data DIR]
    chainrule step "EXPR" --set x=2 --set w=-3 [--param w] [--wrt x] [--svg F]
                   [--html F] [--rankdir LR|TB] [--latex]
    chainrule quiz [--level chain|neuron|network] [--seed N] [--tries N]
                   [--count K] [--answers] [--html F]
    chainrule --version

A user's mistake (a bad expression, an unknown lesson, a folder that cannot be
written) is reported on standard error with exit code 2, never a traceback; so
is a lesson that needs the ``demos`` extra on a plain install (the line says
what to ``pip install``).

>>> main(["step", "x * w", "--set", "x=2", "--set", "w=-3"])  # doctest: +ELLIPSIS
expression: x * w
...
gradients of the leaves
  dE/dx = -3
  dE/dw = 2
0
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any, NoReturn

from demos.expression import FUNCTIONS, OPTIONS, ExpressionError
from demos.lesson import DemoError
from demos.quiz import quiz_command
from demos.registry import check_needs, describe_lessons, get_lesson, run_lesson
from demos.step import narrate, parse_assignment, parse_params
from demos.terminal import plain_when_needed, visible, visible_lines
from nn.files import NotAFileError

__all__ = ["build_parser", "main"]

USAGE_ERROR = 2
ENVIRONMENT_ERROR = 1
INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a program Ctrl-C ended


def version() -> str:
    """The installed version of the ``chainrule`` distribution."""
    try:
        return metadata.version("chainrule")
    except metadata.PackageNotFoundError:
        return "0+unknown (not installed; run pip install -e .)"


def _assignment(text: str) -> tuple[str, float]:
    try:
        return parse_assignment(text)
    except ExpressionError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _params(text: str) -> tuple[str, ...]:
    try:
        return parse_params(text)
    except ExpressionError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        msg = f"{text!r} is not a whole number of 1 or more."
        raise argparse.ArgumentTypeError(msg)
    return number


def _seed(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = -1
    if number < 0:
        msg = f"{text!r} is not a seed; use a whole number of 0 or more."
        raise argparse.ArgumentTypeError(msg)
    return number


_MAIN_EPILOG = """\
examples:
  chainrule demo --list                 the lessons
  chainrule demo xor                    run one; pictures go to ./chainrule-out/xor
  chainrule step "sigmoid(x * w + b)" --set x=2 --set w=-3 --set b=1 --wrt w

'chainrule COMMAND --help' tells more about each command.
"""


def _function_list() -> str:
    """The functions an expression may call, with their optional numbers."""
    return ", ".join(
        f"{name}(x, {', '.join(OPTIONS[name])})" if OPTIONS[name] else name
        for name in FUNCTIONS
    )


_STEP_DESCRIPTION = f"""\
Build the computation graph of an arithmetic expression, then print its
forward values, every step of the backward pass and the gradients.

The expression is read safely (never evaluated as Python). It may use
numbers, the names given with --set, + - * / **, and the functions
{_function_list()}.
Name results with NAME = EXPRESSION parts separated by ';':
"y = x * w1; E = y * w2" calls the values y and E.
"""

_STEP_EPILOG = """\
examples:
  chainrule step "E = x * w" --set x=2 --set w=-3
  chainrule step "y = tanh(x*w1 + b); E = y * w2" --set x=1 --set w1=0.5 \\
      --set b=0 --set w2=-2 --param w1,b,w2 --wrt w1 --html steps.html

An expression that starts with '-' needs a space in it ("-x * w"), or the
options first and '--' before it: chainrule step --set x=1 --set w=2 -- "-x*w"
"""


class _Parser(argparse.ArgumentParser):
    """argparse's parser, except that a failed write of help text is not hidden.

    argparse drops an OSError while it prints ``--help`` or ``--version``,
    so ``chainrule --version > /dev/full`` would succeed, saying nothing.
    """

    def _print_message(self, message: str, file: Any = None) -> None:
        target = file or sys.stderr  # None: the stream was closed (`>&-`)
        if message and target is not None:
            target.write(message)

    def error(self, message: str) -> NoReturn:
        """A usage mistake argparse found: one line on stderr (no usage block), 2."""
        said = visible(message).rstrip(".")  # what the user typed, never obeyed
        self.exit(
            USAGE_ERROR, f"{self.prog}: error: {said} (see {self.prog} --help).\n"
        )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``chainrule`` command and its subcommands."""
    parser = _Parser(
        prog="chainrule",
        description=(
            "Learn backpropagation: run a lesson, or step through an expression."
        ),
        epilog=_MAIN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"chainrule {version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser(
        "demo",
        help="run a lesson and write its pictures",
        description=(
            "Run a lesson: it prints what to look at and writes its pictures "
            "(graphs, step-by-step pages, plots) into a folder."
        ),
        epilog="lessons:\n" + describe_lessons(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    demo.add_argument("name", nargs="?", metavar="NAME", help="the lesson to run")
    demo.add_argument("--list", action="store_true", help="list the lessons and stop")
    demo.add_argument(
        "--out",
        metavar="DIR",
        type=Path,
        help="folder for the lesson's files (default: ./chainrule-out/NAME)",
    )
    demo.add_argument(
        "--seed",
        type=_seed,
        default=0,
        metavar="N",
        help="seed for every random choice (default: 0)",
    )
    demo.add_argument(
        "--no-progress", action="store_true", help="no progress bars while training"
    )
    demo.add_argument(
        "--cnn",
        action="store_true",
        help="digits and mnist: use a small convolutional network",
    )
    demo.add_argument(
        "--data",
        metavar="DIR",
        type=Path,
        help=(
            "mnist: the folder of the MNIST files (default: $CHAINRULE_DATA, "
            "else ~/.cache/chainrule/mnist; missing files are downloaded there)"
        ),
    )
    # For tests and impatient teachers: short training runs.
    demo.add_argument("--quick", action="store_true", help=argparse.SUPPRESS)
    demo.add_argument("--epochs", type=_positive, help=argparse.SUPPRESS)
    demo.set_defaults(handler=_demo)

    step = commands.add_parser(
        "step",
        help="step through the backward pass of an expression",
        description=_STEP_DESCRIPTION,
        epilog=_STEP_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    step.add_argument("expression", metavar="EXPR", help='e.g. "x * w + b"')
    step.add_argument(
        "--set",
        dest="assignments",
        action="append",
        default=[],
        type=_assignment,
        metavar="NAME=VALUE",
        help="give an input its value (repeat for each input)",
    )
    step.add_argument(
        "--param",
        dest="params",
        action="append",
        default=[],
        type=_params,
        metavar="NAMES",
        help="inputs that are parameters (weights, biases), as in --param w,b",
    )
    step.add_argument(
        "--wrt",
        metavar="NAME",
        help="also list every distinct path from this value (any name printed); "
        "with --svg and --html, draw and step through only those paths",
    )
    step.add_argument("--svg", metavar="PATH", type=Path, help="write the graph as SVG")
    step.add_argument(
        "--html", metavar="PATH", type=Path, help="write the step-by-step page"
    )
    step.add_argument(
        "--latex",
        action="store_true",
        help="print the forward values, each step, the gradients (and the paths "
        "of --wrt) as LaTeX, for slides",
    )
    step.add_argument(
        "--rankdir",
        choices=["LR", "TB"],
        default=None,
        help=(
            "draw the graph left to right (LR) or top to bottom (TB); by default "
            "the way it fits a 4:3 screen better"
        ),
    )
    step.set_defaults(handler=_step)
    _add_quiz(commands)
    return parser


_QUIZ_DESCRIPTION = """\
Practise the chain rule: an exercise with small, friendly numbers shows its
forward values and its graph, then asks, in backward order, for each local
derivative, each share (dE/dx += ...) and each total. Answer with numbers or
arithmetic (-0.5*2, 1/4); 3 significant digits are enough. A wrong answer
gets the rule and the likely mistake, then another try. The score comes at
the end; the exit code is 0 when every answer was right in the end, 1 if not.

From a file instead of a terminal, answers are read one a line (blank lines
and # comments skipped; a line may hold the question: only what follows its
last = counts). --answers prints such a file: the answer key.
"""

_QUIZ_EPILOG = """\
examples:
  chainrule quiz                         a short expression, seed 0
  chainrule quiz --level network --seed 12
  chainrule quiz --seed 12 < answers.txt mark a handed-in answer file
  chainrule quiz --seed 12 --answers     the answer key
  chainrule quiz --level neuron --seed 1 --count 5 --html sheet.html
"""


def _add_quiz(commands: Any) -> None:
    """The ``quiz`` subcommand's options."""
    from autograd.practice import LEVELS

    quiz = commands.add_parser(
        "quiz",
        help="practise the backward pass: answer each step, get each mistake named",
        description=_QUIZ_DESCRIPTION,
        epilog=_QUIZ_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    quiz.add_argument(
        "--level",
        choices=LEVELS,
        default="chain",
        help="a short expression (chain, the default), one neuron with a loss "
        "(neuron), or a 2-2-1 network on one sample (network)",
    )
    quiz.add_argument(
        "--seed",
        type=_seed,
        default=0,
        metavar="N",
        help="which exercise: the same seed gives the same one (default: 0)",
    )
    quiz.add_argument(
        "--tries",
        type=_positive,
        default=2,
        metavar="N",
        help="tries at each question before the answer is shown (default: 2)",
    )
    quiz.add_argument(
        "--count",
        type=_positive,
        default=1,
        metavar="K",
        help="K exercises, from seeds N, N+1, ... (a problem set; default: 1)",
    )
    quiz.add_argument(
        "--answers",
        action="store_true",
        help="print the answer key (which passes when fed back) instead of asking",
    )
    quiz.add_argument(
        "--html",
        metavar="PATH",
        type=Path,
        help="write the worksheet: one offline page that checks the answers",
    )
    quiz.set_defaults(handler=quiz_command)


def _demo(args: argparse.Namespace) -> int:
    if args.list:
        print("lessons (run one with: chainrule demo NAME)")
        print(describe_lessons())
        return 0
    if args.name is None:
        msg = "name a lesson, as in 'chainrule demo chain'. The lessons:\n"
        raise DemoError(msg + describe_lessons())
    lesson = get_lesson(args.name)
    check_needs(lesson)  # a missing extra: one line on stderr, before anything else
    print(f"chainrule demo {lesson.name}: {lesson.summary}")
    result = run_lesson(
        args.name,
        args.out,
        seed=args.seed,
        progress=not args.no_progress,
        quick=args.quick,
        epochs=args.epochs,
        cnn=args.cnn,
        data=args.data,
    )
    print()
    where = visible(str(result.out))  # a folder the user named: shown, not obeyed
    print(f"{len(result.files)} files in {where}{'/' if result.files else ''}")
    for path in result.files:
        print(f"  {visible(path.name)}")
    return 0


def _step(args: argparse.Namespace) -> int:
    values: dict[str, float] = {}
    for name, number in args.assignments:
        if name in values:
            msg = f"--set {name} is given twice; give each input one value."
            raise ExpressionError(msg)
        values[name] = number
    try:
        text = narrate(
            args.expression,
            values,
            wrt=args.wrt,
            svg=args.svg,
            html=args.html,
            params=[name for names in args.params for name in names],
            rankdir=args.rankdir,
            latex=args.latex,
        )
    except OSError as error:
        where = error.filename or args.svg or args.html
        msg = f"cannot write {_short(where)}: {_reason(error)}."
        raise DemoError(msg) from None
    print(text)
    return 0


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    return code if isinstance(code, int) else USAGE_ERROR


def _is_missing_graphviz(error: BaseException) -> bool:
    try:
        from viz.render import GraphvizNotFound
    except ImportError:
        return False
    return isinstance(error, GraphvizNotFound)


def main(argv: Sequence[str] | None = None) -> int:
    r"""Run the ``chainrule`` command with ``argv`` (default: ``sys.argv[1:]``).

    Returns the exit code: 0 when all went well, 2 for a usage mistake (a
    path that cannot be used included) or a missing package of the
    ``demos`` extra, 1 when a program the machine needs (Graphviz) is
    missing or the output cannot be written (a full disk), 130 when
    interrupted. Every failure is one line on standard error, never a
    traceback; a terminal that cannot show ∂, × or σ gets them in ASCII
    (see :func:`demos.terminal.ascii_text`), and what the user typed is
    echoed with its control characters escaped
    (see :func:`demos.terminal.visible`).
    """
    if sys.stdout is None:  # closed by the shell (`>&-`): the output would be lost
        _say("chainrule: error: cannot write the output: standard output is closed.")
        return ENVIRONMENT_ERROR
    try:
        with plain_when_needed(sys.stdout, sys.stderr):
            code = _run(argv)
            try:
                sys.stdout.flush()  # a full disk shows here, not as Python exits
            except OSError as error:
                code = _output_failed(error)
            return code
    except KeyboardInterrupt:  # anywhere: reading the arguments, the last flush
        _say("\ninterrupted.")
        return INTERRUPTED


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # argparse: --help, --version or a usage error
        return _exit_code(stop.code)
    except OSError as error:  # the help text could not be written
        return _output_failed(error)
    if args.command is None:
        parser.print_help(sys.stderr)
        return USAGE_ERROR
    prefix = f"chainrule {args.command}: error:"
    try:
        return int(args.handler(args))
    except (DemoError, ExpressionError, NotAFileError) as error:
        _say(f"{prefix} {error}")
        return USAGE_ERROR
    except KeyboardInterrupt:
        _say("\ninterrupted.")
        return INTERRUPTED
    except BrokenPipeError:  # the output went to a pager or `head` that quit
        _silence_stdout()
        return 0
    except OSError as error:
        if error.filename is None:  # writing the output itself failed
            return _output_failed(error, prefix)
        _say(f"{prefix} cannot use {_short(error.filename)}: {_reason(error)}.")
        return USAGE_ERROR
    except UnicodeError as error:
        return _output_failed(error, prefix)
    except MemoryError:
        _say(f"{prefix} out of memory; close other programs, or ask for less.")
        return ENVIRONMENT_ERROR
    except Exception as error:
        if _is_missing_graphviz(error):
            _say(f"{prefix} {error}")
            return ENVIRONMENT_ERROR
        raise


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def _short(path: object, limit: int = 80) -> str:
    """A path for an error message: quoted, and shortened in the middle if long."""
    text = str(path)
    if len(text) > limit:
        text = f"{text[: limit // 2]}...{text[-limit // 2 :]} ({len(text)} characters)"
    return repr(text)


def _output_failed(error: Exception, prefix: str = "chainrule: error:") -> int:
    """The output cannot be written (a full disk, a closed terminal): say so once."""
    if isinstance(error, UnicodeError):
        encoding = getattr(sys.stdout, "encoding", None) or "its encoding"
        reason = f"it cannot be written in {encoding}; set PYTHONIOENCODING=utf-8"
    else:
        reason = _reason(error) if isinstance(error, OSError) else str(error)
    _silence_stdout()
    _say(f"{prefix} cannot write the output: {reason}.")
    return ENVIRONMENT_ERROR


def _say(line: str) -> None:
    """One line on standard error, if standard error can still be written.

    Control characters in it (from what the user typed) are escaped.
    """
    if sys.stderr is None:  # closed by the shell (`2>&-`): nowhere to tell it
        return
    try:
        print(visible_lines(line), file=sys.stderr)
        sys.stderr.flush()
    except (OSError, ValueError):  # nowhere left to tell it
        pass


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so that Python's last flush succeeds."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real file (a test's)
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
