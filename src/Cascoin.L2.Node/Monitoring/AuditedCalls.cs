namespace Cascoin.L2.Node.Monitoring;

/// <summary>
/// The RPC methods whose calls the audit log keeps: those that sign with the node's keys to move
/// funds or stake, that change the bridge, or that hand out a key. Relaying a transaction someone
/// else signed (sendrawtransaction, l2_sendrawtransaction) moves none of this node's funds and is not kept.
/// </summary>
public static class AuditedCalls
{
    private static readonly HashSet<string> Methods = new(StringComparer.Ordinal)
    {
        "sendtoaddress", "l2_sendtransaction", "l2_sendencryptedtransaction", "l2_deposit", "l2_withdraw", "l2_finalizewithdrawal",
        "l2_emergencywithdraw", "l2_stake", "l2_unstake", "l2_deploy", "l2_forceinclude", "l2_sendmessage", "l2_executemessage",
        "l2_setbridgepause", "l2_signbridgepause", "l2_importreputation", "l2_setanchoring", "setreputation", "importprivkey", "dumpprivkey",
    };

    public static bool MoveFunds(string method) => Methods.Contains(method);
}
