// A definition the app refuses to synthesize: the resource it concerns and the reason.
export class InvalidDefinitionError extends Error {
  constructor(
    readonly subject: string,
    readonly reason: string,
  ) {
    super(`${subject}: ${reason}`);
    this.name = 'InvalidDefinitionError';
  }
}
