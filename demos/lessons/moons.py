r"""Lesson ``moons``: an MLP learns two interleaving half circles.

Two classes shaped like crescent moons, hooked into each other: no straight
line separates them. An MLP with two hidden layers of ReLU neurons learns a
curved boundary; the loss curve shows training, the held-out test set shows
that the boundary generalises.
"""

from __future__ import annotations

from demos.lesson import LessonRun

NAME = "moons"
SUMMARY = "an MLP on two moons: a curved decision boundary and the loss curve"
PICTURE = "boundary.png"  # the one shown in docs/lessons.md
FILES = ("boundary.png", "history.png", "network.svg")
NEEDS = ("matplotlib", "sklearn")  # from the demos extra


def run(lesson: LessonRun) -> None:
    import nn
    import viz

    samples = 100 if lesson.quick else 300
    split = nn.data.moons(samples, noise=0.1, seed=lesson.seed)
    lesson.heading("The data: two moons")
    lesson.say(
        f"{len(split.X_train)} training points and {len(split.X_test)} test points, "
        "two features (x1, x2), classes 0 and 1"
    )

    lesson.heading("The model: 2 → 16 ReLU → 16 ReLU → 2 class scores")
    model = nn.MLP(2, [16, 16, 2], activation="relu", seed=lesson.seed, init="he")
    lesson.say(f"{len(model.parameters())} parameters, each one Value in the graph")
    epochs = lesson.epochs(default=100, quick=5)
    history = nn.fit(
        model,
        split.X_train,
        split.y_train,
        loss="cross_entropy",
        optimizer=nn.Adam(model, lr=0.01),
        epochs=epochs,
        batch_size=32,
        seed=lesson.seed,
        progress=lesson.progress,
        validation=(split.X_test, split.y_test),
    )
    test = history.val_accuracy[-1]
    for epoch in sorted({1, max(1, epochs // 4), max(1, epochs // 2), epochs}):
        lesson.say(
            f"  epoch {epoch:>3}: loss {history.loss[epoch - 1]:.4f}  "
            f"train {history.accuracy[epoch - 1]:.0%}  "
            f"test {history.val_accuracy[epoch - 1]:.0%}"
        )
    lesson.say(f"test accuracy: {test:.1%}")
    lesson.note("train accuracy", history.accuracy[-1])
    lesson.note("test accuracy", test)

    boundary = lesson.save_figure(
        viz.plot_decision_boundary(
            model,
            split.X_train,
            split.y_train,
            title=f"MLP 2-16-16-2: test accuracy {test:.0%}",
        ),
        "boundary.png",
    )
    curves = lesson.save_history(history, "history.png")
    network = lesson.save_svg(
        viz.draw_network(model, x=list(split.X_test[0])), "network.svg"
    )
    lesson.heading("Look at")
    lesson.say(
        f"{boundary}: the curved boundary the ReLU neurons build from straight pieces."
    )
    lesson.say(
        f"{curves}: training loss falling; train and test accuracy side by side."
    )
    lesson.say(f"{network}: every weight as a line (blue positive, red negative).")
