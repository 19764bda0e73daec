namespace Cascoin.L2.Rpc;

/// <summary>An error reply: the code comes from <see cref="RpcErrorCode"/>, the message is shown to the caller as is.</summary>
public sealed class RpcException : Exception
{
    public RpcException(int code, string message) : base(message)
    {
        Code = code;
    }

    public int Code { get; }

    public static RpcException InvalidParameter(string message) => new(RpcErrorCode.InvalidParameter, message);

    public static RpcException InvalidParams(string message) => new(RpcErrorCode.InvalidParams, message);
}
