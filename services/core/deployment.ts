/** The contracts of one deployment of the network, as services and scripts find them. */
export interface NetworkDeployment {
  chainId: number;
  /** A block at or before the first deployment transaction: where an indexer starts reading. */
  startBlock: number;
  deployedAt: string;
  governance: string;
  operator: string;
  contracts: {
    stablecoin: string;
    vault: string;
    factory: string;
    tokenImplementation: string;
    /** LotCertificate: absent from books written before lots existed; the lots API then refuses to confirm. */
    lotCertificate?: string;
    /** CollectorAccountFactory: absent from books written before passkey wallets; their payments are then refused. */
    collectorAccounts?: string;
  };
}

/** What identifies a deployment: a dev chain redeploys to the same addresses, so the time counts too. */
export const deploymentKey = (d: NetworkDeployment) => `${d.chainId}:${d.contracts.factory}:${d.deployedAt}`;
