using MassTransit;

namespace Middleware.Messaging;

/// <summary>
/// Names every exchange the middleware creates for a message type <c>bridge.{TypeName}</c>, so all of its broker
/// entities share the <c>bridge</c> prefix and can be found and removed together.
/// </summary>
public sealed class BridgeEntityNameFormatter(IEntityNameFormatter inner) : IEntityNameFormatter
{
    public const string Prefix = "bridge";

    public string FormatEntityName<T>()
    {
        var type = typeof(T);
        if (IsContract(type))
        {
            return $"{Prefix}.{type.Name}";
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Fault<>) && IsContract(type.GetGenericArguments()[0]))
        {
            return $"{Prefix}.Fault-{type.GetGenericArguments()[0].Name}";
        }

        var name = inner.FormatEntityName<T>();
        return name.StartsWith(Prefix, StringComparison.Ordinal) ? name : $"{Prefix}.{name}";
    }

    /// <summary>The exchange names this formatter gives the middleware's message types and their faults.</summary>
    public static IReadOnlyList<string> KnownExchangeNames { get; } =
        [.. ContractTypes.SelectMany(t => new[] { $"{Prefix}.{t.Name}", $"{Prefix}.Fault-{t.Name}" })];

    private static IReadOnlyList<Type> ContractTypes =>
        [typeof(Contracts.GenerateTeacherTurn), typeof(Contracts.TeacherTurnGenerated), typeof(Contracts.ChatTurn),
         typeof(Contracts.TrainingSessionStarted), typeof(Contracts.ExchangeCompleted), typeof(Contracts.TrainingSessionEnded),
         typeof(Contracts.ReviewLearnerReply), typeof(Contracts.LearnerReplyReviewed)];

    private static bool IsContract(Type type) => !type.IsGenericType && type.Namespace == typeof(Contracts.ExchangeCompleted).Namespace;
}
