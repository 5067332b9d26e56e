using MassTransit;

namespace LlmServer.Messaging;

/// <summary>
/// Names the exchange of each message type <c>bridge.{TypeName}</c> (faults <c>bridge.Fault-{TypeName}</c>), the same
/// names the other Bridge services give their copies of the contracts, so every entity sits under the <c>bridge</c> prefix.
/// </summary>
public sealed class BridgeEntityNameFormatter(IEntityNameFormatter inner) : IEntityNameFormatter
{
    public string FormatEntityName<T>()
    {
        var type = typeof(T);
        if (IsContract(type))
        {
            return $"{BrokerNames.Prefix}.{type.Name}";
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Fault<>) && IsContract(type.GetGenericArguments()[0]))
        {
            return $"{BrokerNames.Prefix}.Fault-{type.GetGenericArguments()[0].Name}";
        }

        var name = inner.FormatEntityName<T>();
        return name.StartsWith(BrokerNames.Prefix, StringComparison.Ordinal) ? name : $"{BrokerNames.Prefix}.{name}";
    }

    private static bool IsContract(Type type) => !type.IsGenericType && type.Namespace == typeof(Contracts.GenerateTeacherTurn).Namespace;
}
