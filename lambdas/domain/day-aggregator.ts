import type { DayAggregates } from '../shared/contracts';
import type { UserSummary } from './user-summary';

/** Sums the kept users of a day into the `search_stats` figures (SPEC 4). */
export class DayAggregator {
  private numUsers = 0;
  private numSearches = 0;
  private numRentalSearches = 0;
  private numSaleSearches = 0;
  private numNoneSearches = 0;

  add(user: UserSummary): void {
    if (user.numEligibleSearches === 0) return;
    this.numUsers++;
    this.numSearches += user.numEligibleSearches;
    this.numRentalSearches += user.numRental;
    this.numSaleSearches += user.numSale;
    this.numNoneSearches += user.numNone;
  }

  get aggregates(): DayAggregates {
    return {
      numUsers: this.numUsers,
      numSearches: this.numSearches,
      numRentalSearches: this.numRentalSearches,
      numSaleSearches: this.numSaleSearches,
      numNoneSearches: this.numNoneSearches,
    };
  }
}
