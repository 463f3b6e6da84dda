// The part of autocannon's programmatic API the benchmarks use (the package ships no types).
declare module 'autocannon' {
  namespace autocannon {
    interface Request {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: string;
    }
    interface RequestStep<Ctx> extends Request {
      setupRequest?: (req: Request, context: Ctx) => Request | undefined;
      onResponse?: (status: number, body: string, context: Ctx) => void;
    }
    interface Options<Ctx> {
      url: string;
      connections?: number;
      duration?: number;
      pipelining?: number;
      timeout?: number;
      headers?: Record<string, string>;
      requests?: RequestStep<Ctx>[];
    }
    interface Result {
      errors: number;
      timeouts: number;
      non2xx: number;
      duration: number;
    }
  }
  function autocannon<Ctx>(
    options: autocannon.Options<Ctx>,
    done: (err: Error | null, result: autocannon.Result) => void,
  ): unknown;
  export = autocannon;
}
