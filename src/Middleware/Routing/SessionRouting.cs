namespace Middleware.Routing;

/// <summary>What the session loop needs of routing: each session's plan, its curriculum, and the teacher record.</summary>
public sealed record SessionRouting(SessionPlans Plans, SessionCurriculum Curriculum, TeacherRecordStore Teachers);
