"""The models of the programmes app, one module per domain: tier programmes
(`programs.tiers`), skills training (`programs.skills`) and release planning with post-release
follow-up (`programs.aftercare`). Django loads them from here; code may import from either."""

from programs.aftercare.models import (  # noqa: F401
    KNOWN_OUTCOMES,
    Aftercare,
    AidKind,
    ContactMethod,
    Employment,
    Outcome,
    ReleasePlan,
)
from programs.skills.models import (  # noqa: F401
    TRAINEE_OPEN_STATES,
    TRAINEE_SEATED_STATES,
    Competency,
    Course,
    CourseAttendance,
    CourseKind,
    CourseMeeting,
    ProviderKind,
    Trainee,
    TraineeState,
)
from programs.tiers.models import (  # noqa: F401
    OPEN_STATES,
    SEATED_STATES,
    TRANSITIONS,
    ActivityKind,
    Attendance,
    AttendanceStatus,
    Cohort,
    DropReason,
    Enrolment,
    EnrolmentEvent,
    EnrolmentQuerySet,
    EnrolmentState,
    Facilitator,
    FacilityActivity,
    FollowUp,
    Module,
    NoteStatus,
    PhaseChange,
    ProgressNote,
    Session,
    SessionKind,
    SessionStatus,
    TcPhase,
    Track,
    TrackKind,
    TrackRequirement,
)

# isort: split
# Person blocks and non-associations read the WBP and the facility only.
from programs.scheduling.models import (  # noqa: F401
    BlockKind,
    HoursPeriod,
    NonAssociation,
    PersonBlock,
    Room,
    Speaker,
)

# isort: split
# Completion reads both domains above, so it is loaded after them.
from programs.completion.models import Certificate, CompletionWaiver  # noqa: F401
