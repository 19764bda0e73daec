namespace Cascoin.L2.Chain.Transactions;

/// <summary>The kinds of L2 transaction (SPEC §5). The byte is the first byte of the encoding.</summary>
public enum TransactionType : byte
{
    /// <summary>Moves value between L2 accounts.</summary>
    Transfer = 0,

    /// <summary>Burns value on L2 for payment to <c>To</c> on L1 once its batch is final.</summary>
    Withdrawal = 1,

    /// <summary>An L2→L1 message (the settlement layer delivers it).</summary>
    L2ToL1Message = 2,

    /// <summary>System: a deposit locked on L1, minted on L2. Created from L1 events, never signed by a user.</summary>
    Deposit = 3,

    /// <summary>System: an L1→L2 message.</summary>
    L1ToL2Message = 4,

    /// <summary>A user transaction posted on L1 that the L2 must include before a deadline.</summary>
    ForcedInclusion = 5,

    /// <summary>Reserved until a VM exists.</summary>
    ContractDeploy = 6,

    /// <summary>Reserved until a VM exists.</summary>
    ContractCall = 7,

    /// <summary>An encrypted transaction (<see cref="Transactions.Envelope"/>): pays its fee and consumes its nonce when ordered; its contents run a block later.</summary>
    Envelope = 8,

    /// <summary>System: the key that opens an ordered envelope, and the execution of its contents (<see cref="Transactions.Decryption"/>). Made by the leader, never signed by a user.</summary>
    Decryption = 9,
}
