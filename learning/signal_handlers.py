"""Signal receivers of the learning app: they only enqueue work, on commit."""


def red_package_received_enqueue(sender, *, member_id, package_id, **kwargs) -> None:
    from .tracks.tasks import red_package_tracks_assign

    red_package_tracks_assign.delay(member_id, package_id)


def register() -> None:
    """Connect the receivers; called once from LearningConfig.ready()."""
    from portal.signals import demo_built

    from .tracks.demo import demo_built_receiver

    # The demo's learning data (ADR 0007: portal's demo sends, learning answers).
    demo_built.connect(demo_built_receiver, dispatch_uid="learning_demo_built")

    # A received red package brings the tracks that read it (sent on commit by portal).
    from portal.signals import red_package_received

    red_package_received.connect(
        red_package_received_enqueue, dispatch_uid="learning_red_package_received"
    )
