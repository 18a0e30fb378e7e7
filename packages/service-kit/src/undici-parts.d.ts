// Types for the two undici modules the proxy loads on their own (see upstream-client.ts).
declare module 'undici/lib/dispatcher/agent.js' {
  import type { Agent } from 'undici';
  const AgentClass: typeof Agent;
  export default AgentClass;
}

declare module 'undici/lib/api/api-request.js' {
  import type { Dispatcher } from 'undici';
  function request(
    this: Dispatcher,
    options: Dispatcher.RequestOptions,
    callback: (error: Error | null, data: Dispatcher.ResponseData) => void,
  ): void;
  export default request;
}

declare module 'undici/lib/handler/retry-handler.js' {
  import type { Dispatcher } from 'undici';
  /** undici's RetryHandler; `opts` is the dispatch of the next try, `headersSent` whether an answer went on. */
  class RetryHandler implements Dispatcher.DispatchHandler {
    constructor(
      options: Dispatcher.DispatchOptions & { retryOptions?: object },
      parts: { dispatch: Dispatcher['dispatch']; handler: Dispatcher.DispatchHandler },
    );
    opts: Dispatcher.DispatchOptions;
    headersSent: boolean;
    retry(): void;
    onRequestStart: NonNullable<Dispatcher.DispatchHandler['onRequestStart']>;
    onResponseStart: NonNullable<Dispatcher.DispatchHandler['onResponseStart']>;
    onResponseData: NonNullable<Dispatcher.DispatchHandler['onResponseData']>;
    onResponseEnd: NonNullable<Dispatcher.DispatchHandler['onResponseEnd']>;
    onResponseError: NonNullable<Dispatcher.DispatchHandler['onResponseError']>;
  }
  export default RetryHandler;
}

declare module 'undici/lib/handler/wrap-handler.js' {
  import type { Dispatcher } from 'undici';
  const WrapHandler: {
    wrap(
      handler: Dispatcher.DispatchHandler,
    ): Required<
      Pick<
        Dispatcher.DispatchHandler,
        | 'onRequestStart'
        | 'onResponseStart'
        | 'onResponseData'
        | 'onResponseEnd'
        | 'onResponseError'
      >
    > &
      Dispatcher.DispatchHandler;
  };
  export default WrapHandler;
}
