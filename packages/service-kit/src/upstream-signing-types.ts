/** The shapes upstream signing passes around, apart from the code that signs (no import cycle). */
/** One upstream request as it is about to be sent: what a signature covers. */
export interface UpstreamRequest {
  readonly method: string;
  /** The upstream URL: origin, path and query exactly as sent. */
  readonly url: URL;
}

/**
 * Headers to add to one upstream request (a signature, for example). A rejection means the
 * request must not be sent: the proxy answers 502 and logs the reason.
 */
export type UpstreamHeaders = (
  request: UpstreamRequest,
) => Promise<Readonly<Record<string, string>>>;

/** Where a task's role credentials are served (the ECS container credentials endpoint). */
export interface ContainerCredentialsSource {
  readonly url: URL;
  /** Sent as the `Authorization` header. @default - no header */
  readonly authorizationToken?: string;
}

/** SigV4 signing of upstream requests to Lattice services, as the `vpc-lattice` flavor asks for it. */
export interface UpstreamSigning {
  /** The SigV4 service name, `vpc-lattice-svcs` for VPC Lattice. */
  readonly service: string;
  readonly region: string;
  readonly credentials: ContainerCredentialsSource;
}
