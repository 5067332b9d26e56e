namespace Middleware.Messaging;

/// <summary>The parts of an <c>amqp://user:pass@host:port/vhost</c> connection string (Aspire's <c>ConnectionStrings:rabbitmq</c>).</summary>
public sealed record RabbitMqConnection(Uri Uri, string Host, ushort Port, string VirtualHost, string Username, string Password, bool UseTls)
{
    public static RabbitMqConnection Parse(string connectionString)
    {
        if (!Uri.TryCreate(connectionString, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps" or "rabbitmq" or "rabbitmqs"))
        {
            throw new FormatException("ConnectionStrings:rabbitmq must be an amqp://user:pass@host:port/vhost URI.");
        }

        var tls = uri.Scheme.EndsWith('s');
        var userInfo = uri.UserInfo.Split(':', 2);
        var username = userInfo[0].Length > 0 ? Uri.UnescapeDataString(userInfo[0]) : "guest";
        var password = userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : "guest";
        var path = uri.AbsolutePath.Trim('/');
        var virtualHost = path.Length == 0 ? "/" : Uri.UnescapeDataString(path);
        var port = uri.IsDefaultPort || uri.Port <= 0 ? (tls ? 5671 : 5672) : uri.Port;
        return new RabbitMqConnection(uri, uri.Host, (ushort)port, virtualHost, username, password, tls);
    }

    /// <summary>The same broker as an amqp URI for RabbitMQ.Client (which does not know the rabbitmq:// scheme).</summary>
    public Uri AmqpUri => new UriBuilder(Uri) { Scheme = UseTls ? "amqps" : "amqp", Port = Port }.Uri;
}
