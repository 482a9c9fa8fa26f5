/** A path no longer holds what the plan saw there: the action becomes a conflict and nothing is written. */
export class ChangedSincePlan extends Error {
  constructor(link: string, why: string) {
    super(`${link}: ${why} since the plan was made, so it was left alone`);
    this.name = "ChangedSincePlan";
  }
}
