namespace LlmServer.Messaging;

/// <summary>The parts of an <c>amqp://user:pass@host:port/vhost</c> connection string (Aspire's <c>ConnectionStrings:rabbitmq</c>).</summary>
public sealed record RabbitMqAddress(string Host, ushort Port, string VirtualHost, string Username, string Password, bool UseTls)
{
    public static RabbitMqAddress Parse(string connectionString)
    {
        if (!Uri.TryCreate(connectionString, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps" or "rabbitmq" or "rabbitmqs"))
        {
            throw new InvalidOperationException(
                "ConnectionStrings:rabbitmq must be an AMQP URI such as amqp://guest:guest@localhost:5672/ (the password is not shown here).");
        }

        var tls = uri.Scheme is "amqps" or "rabbitmqs";
        var credentials = uri.UserInfo.Split(':', 2);
        var username = credentials[0].Length > 0 ? Uri.UnescapeDataString(credentials[0]) : "guest";
        var password = credentials.Length > 1 ? Uri.UnescapeDataString(credentials[1]) : "guest";
        var path = uri.AbsolutePath.Trim('/');
        var virtualHost = path.Length > 0 ? Uri.UnescapeDataString(path) : "/";
        var port = uri.IsDefaultPort || uri.Port <= 0 ? (ushort)(tls ? 5671 : 5672) : (ushort)uri.Port;
        return new RabbitMqAddress(uri.Host, port, virtualHost, username, password, tls);
    }

    /// <summary>The same broker as an <c>amqp://</c> URI for RabbitMQ.Client, which does not know the <c>rabbitmq://</c> scheme.</summary>
    public Uri AmqpUri => new UriBuilder(UseTls ? "amqps" : "amqp", Host, Port, VirtualHost == "/" ? "/" : "/" + Uri.EscapeDataString(VirtualHost))
    {
        UserName = Uri.EscapeDataString(Username),
        Password = Uri.EscapeDataString(Password),
    }.Uri;

    /// <summary>For logs: where, never with which password.</summary>
    public override string ToString() => $"{(UseTls ? "amqps" : "amqp")}://{Host}:{Port}/{(VirtualHost == "/" ? string.Empty : VirtualHost)}";
}
