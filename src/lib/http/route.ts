/**
 * What a route is: its method and API Gateway resource path, how its input is parsed, and the
 * function that answers it. Routes are declared in src/handlers (one per Lambda function) and
 * by the local server; httpHandler turns a route into a Lambda handler.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { z } from 'zod';
import type { Config } from '../config.js';
import type { Runtime } from '../runtime.js';
import { issuesToProblems } from './fieldProblems.js';
import { ValidationError } from './httpErrors.js';

/** The parts of a request that input is parsed from: header names in lower case, the body as JSON. */
export interface RawInput {
  readonly path: Record<string, string | undefined>;
  readonly query: Record<string, string | undefined>;
  readonly headers: Record<string, string | undefined>;
  readonly body: unknown;
  /** Who is asking, as API Gateway authenticated them (see caller.ts). */
  readonly principal: string | undefined;
}

/**
 * Turns the raw parts of a request into a route's typed input, or throws a ValidationError naming
 * every bad field. Routes that run on an engine get the runtime's configuration (request limits).
 */
export type InputParser<Input> = (raw: RawInput, config: Config | undefined) => Input;

interface RouteRequest {
  readonly event: APIGatewayProxyEvent;
  readonly context: Context;
}

interface EngineRouteRequest extends RouteRequest {
  readonly runtime: Runtime;
}

interface RouteBase<Input> {
  /** The handler module, which is also the Lambda function's name in the template. */
  readonly name: string;
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** API Gateway resource path, with {name} for a path parameter. */
  readonly resource: string;
  readonly input: InputParser<Input>;
  /** The route takes a JSON body: a request without `Content-Type: application/json` is a 415. */
  readonly body?: 'json';
}

/** A route answered from the runtime's engine. */
export interface EngineRoute<Input = unknown> extends RouteBase<Input> {
  readonly usesRuntime: true;
  handle(input: Input, request: EngineRouteRequest): Promise<APIGatewayProxyResult>;
}

/** A route that needs no engine (the catalog): its Lambda carries no AWS client. */
export interface StaticRoute<Input = unknown> extends RouteBase<Input> {
  readonly usesRuntime: false;
  handle(input: Input, request: RouteRequest): Promise<APIGatewayProxyResult>;
}

export type Route<Input = unknown> = EngineRoute<Input> | StaticRoute<Input>;

/** An InputParser from a zod schema over { path, query, headers, body }. */
export const schemaInput =
  <Schema extends z.ZodType>(schema: Schema): InputParser<z.output<Schema>> =>
  (raw) => {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw new ValidationError(issuesToProblems(parsed.error.issues));
    return parsed.data;
  };

/** Declares a route answered from the engine; `input` is typed by its parser. */
export const engineRoute = <Input>(route: Omit<EngineRoute<Input>, 'usesRuntime'>): EngineRoute<Input> => ({
  ...route,
  usesRuntime: true,
});

/** Declares a route that needs no engine. */
export const staticRoute = <Input>(route: Omit<StaticRoute<Input>, 'usesRuntime'>): StaticRoute<Input> => ({
  ...route,
  usesRuntime: false,
});
